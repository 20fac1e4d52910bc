import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { HttpCoreModule } from '../http/http-core.module';
import { PassthroughModule } from '../passthrough/passthrough.module';
import { REALTIME_METRIC_PROVIDERS, RealtimeMetrics } from './realtime-metrics';
import { RealtimeUsage } from './realtime-usage';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeService } from './realtime.service';

/** `GET /v1/realtime` and `/p/{provider}/…/realtime`: WebSocket sessions relayed to the provider's Realtime API. */
@Module({
  imports: [ProvidersModule, HttpCoreModule, PassthroughModule],
  providers: [RealtimeGateway, RealtimeService, RealtimeUsage, RealtimeMetrics, ...REALTIME_METRIC_PROVIDERS],
})
export class RealtimeModule {}
