import { type DynamicModule, Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import type { AppConfig } from '@app/config';
import { GatewayMetrics } from './gateway-metrics';
import { ForegroundTraffic } from './foreground-traffic';
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
    const exposition = config.metricsEnabled ? [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: false } })] : [];
    // Node's default metrics live in the process-wide registry and may be registered only once;
    // a second application in the same process (the e2e suites boot several) must not throw.
    if (config.metricsEnabled && !register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
    return {
      module: ObservabilityModule,
      imports: exposition,
      providers: [...METRIC_PROVIDERS, GatewayMetrics, ForegroundTraffic, { provide: StructuredLogger, useFactory: () => new StructuredLogger(createPinoLogger(config.logLevel)) }],
      exports: [GatewayMetrics, ForegroundTraffic, StructuredLogger],
    };
  }
}
