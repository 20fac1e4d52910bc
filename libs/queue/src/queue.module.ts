import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { InProcessJobQueue } from './in-process/in-process-job-queue';
import { JOB_QUEUE } from './job-queue';
import { processorProviders } from './processor-providers';
import { ProcessorRegistry } from './processor-registry';
import type { QueueModuleOptions } from './queue-module-options';

/**
 * Background jobs behind the {@link JOB_QUEUE} port: BullMQ on Redis when REDIS_URL is set, the
 * in-process runner otherwise. Import it once, in the app's root module:
 *
 * ```ts
 * QueueModule.forRoot(config, { processors: [UsageRetentionProcessor], consume: 'when-embedded' }) // gateway
 * QueueModule.forRoot(config, { processors: [UsageRetentionProcessor], consume: true })            // worker
 * ```
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: AppConfig, options: QueueModuleOptions): DynamicModule {
    const consume = options.consume === 'when-embedded' ? !config.redisUrl : options.consume;
    if (!config.redisUrl) {
      if (!consume) {
        throw new Error("QueueModule: consume: false needs REDIS_URL; without Redis jobs can only run in this process (use consume: 'when-embedded')");
      }
      return inProcessModule(config, options);
    }
    // Required here, not imported: BullMQ, ioredis and their dependencies cost ~9 MB of RSS and
    // ~0.2 s of boot that an embedded gateway (no REDIS_URL) never uses.
    const { bullMqModule } = require('./bullmq/bullmq-binding') as typeof import('./bullmq/bullmq-binding');
    return bullMqModule(QueueModule, config, config.redisUrl, options, consume);
  }
}

function inProcessModule(config: AppConfig, options: QueueModuleOptions): DynamicModule {
  return {
    module: QueueModule,
    imports: [...(options.imports ?? [])],
    providers: [
      ...processorProviders(options),
      {
        provide: InProcessJobQueue,
        useFactory: (registry: ProcessorRegistry) => new InProcessJobQueue(registry, config.queue, config.drainTimeoutMs),
        inject: [ProcessorRegistry],
      },
      { provide: JOB_QUEUE, useExisting: InProcessJobQueue },
    ],
    exports: [JOB_QUEUE],
  };
}
