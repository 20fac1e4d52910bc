import { type DynamicModule, Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { AppConfig } from '@app/config';
import { GatewayMetrics } from './gateway-metrics';
import { METRIC_PROVIDERS } from './metric-providers';
import { createPinoLogger, StructuredLogger } from './structured-logger';

/**
 * Metrics and logging for every app. Metrics are always collected (they are cheap); the `/metrics`
 * route exists only when METRICS_ENABLED is on.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig): DynamicModule {
    const exposition = config.metricsEnabled
      ? [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })]
      : [];
    return {
      module: ObservabilityModule,
      imports: exposition,
      providers: [
        ...METRIC_PROVIDERS,
        GatewayMetrics,
        { provide: StructuredLogger, useFactory: () => new StructuredLogger(createPinoLogger(config.logLevel)) },
      ],
      exports: [GatewayMetrics, StructuredLogger],
    };
  }
}
