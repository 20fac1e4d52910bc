import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { MessagesJsonRunner } from './messages-json-runner';

/** The Messages engine for callers outside the /v1/messages route (emulated batch items). Needs ConfigModule and ObservabilityModule (global). */
@Module({
  imports: [ProvidersModule],
  providers: [MessagesJsonRunner],
  exports: [MessagesJsonRunner],
})
export class MessagesEngineModule {}
