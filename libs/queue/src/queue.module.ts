import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { AppConfig } from '@app/config';
import { BullMqConsumer } from './bullmq/bullmq-consumer';
import { BullMqJobQueue } from './bullmq/bullmq-job-queue';
import { bullPrefix, defaultJobOptions, producerConnection, workerConnection } from './bullmq/bullmq-settings';
import { InProcessJobQueue } from './in-process/in-process-job-queue';
import type { JobProcessor } from './job-processor';
import { JOB_QUEUE } from './job-queue';
import { JOB_PROCESSORS, ProcessorRegistry } from './processor-registry';
import type { QueueModuleOptions } from './queue-module-options';
import { QUEUE_MONITOR } from './queue-monitor';
import { QueueName } from './queue-names';

const QUEUE_NAMES = Object.values(QueueName);
const QUEUE_TOKENS = QUEUE_NAMES.map((name) => getQueueToken(name));

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
    return bullMqModule(config, config.redisUrl, options, consume);
  }
}

function processorProviders(options: QueueModuleOptions): Provider[] {
  return [
    ...options.processors,
    { provide: JOB_PROCESSORS, useFactory: (...processors: JobProcessor[]) => processors, inject: [...options.processors] },
    { provide: ProcessorRegistry, useFactory: (processors: JobProcessor[]) => new ProcessorRegistry(processors), inject: [JOB_PROCESSORS] },
  ];
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

function bullMqModule(config: AppConfig, redisUrl: string, options: QueueModuleOptions, consume: boolean): DynamicModule {
  const prefix = bullPrefix(config);
  const consumer: Provider[] = consume
    ? [
        ...processorProviders(options),
        {
          provide: BullMqConsumer,
          useFactory: (registry: ProcessorRegistry, ...queues: Queue[]) =>
            new BullMqConsumer(registry, queues, { connection: workerConnection(redisUrl), prefix, queue: config.queue }),
          inject: [ProcessorRegistry, ...QUEUE_TOKENS],
        },
        { provide: QUEUE_MONITOR, useExisting: BullMqConsumer },
      ]
    : [];
  return {
    module: QueueModule,
    imports: [
      BullModule.forRoot({ connection: producerConnection(redisUrl), prefix, defaultJobOptions: defaultJobOptions(config.queue) }),
      BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
      ...(consume ? (options.imports ?? []) : []),
    ],
    providers: [
      { provide: BullMqJobQueue, useFactory: (...queues: Queue[]) => new BullMqJobQueue(queues), inject: QUEUE_TOKENS },
      { provide: JOB_QUEUE, useExisting: BullMqJobQueue },
      ...consumer,
    ],
    exports: consume ? [JOB_QUEUE, QUEUE_MONITOR] : [JOB_QUEUE],
  };
}
