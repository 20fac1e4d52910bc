import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { PassthroughForwarder } from './passthrough-forwarder';
import { PassthroughProviders } from './passthrough-providers';
import { PassthroughController } from './passthrough.controller';
import { PassthroughService } from './passthrough.service';

/** Native provider passthrough: `/p/{provider}/…` forwarded to the provider's own API. */
@Module({
  imports: [ProvidersModule],
  controllers: [PassthroughController],
  providers: [PassthroughService, PassthroughProviders, PassthroughForwarder],
  // The realtime module resolves `/p/{provider}/…/realtime` upgrades by the same rules.
  exports: [PassthroughProviders],
})
export class PassthroughModule {}
