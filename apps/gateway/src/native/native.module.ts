import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { NativeForwarder } from './native-forwarder';

/** Native forwarding to providers' own APIs, shared by the Messages and Responses routes. */
@Module({
  imports: [ProvidersModule],
  providers: [NativeForwarder],
  exports: [NativeForwarder],
})
export class NativeModule {}
