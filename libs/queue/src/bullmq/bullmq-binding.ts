import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { AppConfig } from '@app/config';
import type { QueueModuleOptions } from '../queue-module-options';
import { QUEUE_MONITOR } from '../queue-monitor';
import { JOB_QUEUE } from '../job-queue';
import { QueueName } from '../queue-names';
import { processorProviders } from '../processor-providers';
import { ProcessorRegistry } from '../processor-registry';
import { BullMqConsumer } from './bullmq-consumer';
import { BullMqJobQueue } from './bullmq-job-queue';
import { bullPrefix, defaultJobOptions, producerConnection, workerConnection } from './bullmq-settings';

const QUEUE_NAMES = Object.values(QueueName);
const QUEUE_TOKENS = QUEUE_NAMES.map((name) => getQueueToken(name));

/**
 * QueueModule's Redis binding; loaded by QueueModule.forRoot only when REDIS_URL is set.
 * @public (used through a lazy require(), which knip cannot follow)
 */
export function bullMqModule(module: Type, config: AppConfig, redisUrl: string, options: QueueModuleOptions, consume: boolean): DynamicModule {
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
    module,
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
