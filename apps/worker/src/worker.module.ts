import { type DynamicModule, Module } from '@nestjs/common';

import { CacheModule } from '@app/cache';
import { ConfigModule } from '@app/config';
import { BudgetsModule, PricingModule } from '@app/governance';
import { ObservabilityModule } from '@app/observability';
import { BatchesEngineModule, BatchesProcessor, FilesRetentionProcessor } from '@app/batches';
import { QueueModule } from '@app/queue';
import { ResponsesEngineModule, ResponsesProcessor } from '@app/responses';
import { StorageModule, UsageRetentionProcessor } from '@app/storage';
import { WorkerHttpServer } from './http/worker-http.server';
import { WorkerMetrics } from './metrics/worker-metrics';
import type { WorkerConfig } from './worker-config';

/**
 * Root module of the worker: the BullMQ consumers and what their processors need, plus a tiny
 * HTTP server for its liveness probe and metrics (no Nest HTTP stack).
 * Every processor class lives in its lib and is listed here, the same list the gateway runs
 * in-process when there is no Redis.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config),
        StorageModule.forRoot(config),
        // Background responses need the providers and the shared cache (cancel flags).
        CacheModule.forRoot(config),
        // Background responses record their usage with its cost, and charge it to their budgets.
        PricingModule,
        BudgetsModule.forRoot(config),
        QueueModule.forRoot(config, {
          processors: [UsageRetentionProcessor, ResponsesProcessor, FilesRetentionProcessor, BatchesProcessor],
          imports: [ResponsesEngineModule, BatchesEngineModule],
          consume: true,
        }),
      ],
      providers: [WorkerMetrics, WorkerHttpServer],
    };
  }
}
