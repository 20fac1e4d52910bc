import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Job, type Queue, type RedisOptions, Worker } from 'bullmq';
import type { QueueConfig } from '@app/config';
import type { ProcessorRegistry } from '../processor-registry';
import type { QueueName } from '../queue-names';
import { defaultJobOptions } from './bullmq-settings';
import { logErrorsThrottled } from './throttled-error-log';

/** Where and how the workers connect and run. */
export interface BullMqConsumerSettings {
  readonly connection: RedisOptions;
  readonly prefix: string;
  readonly queue: QueueConfig;
}

/**
 * Consumes every queue that has a processor with one BullMQ Worker each. Workers start at
 * bootstrap, once every module (storage included) is initialised, and close in onModuleDestroy,
 * which lets running jobs finish before the connections they need are closed.
 */
export class BullMqConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BullMqConsumer');
  private readonly workers: Worker[] = [];

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly queues: readonly Queue[],
    private readonly settings: BullMqConsumerSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const name of this.registry.queues()) this.workers.push(this.startWorker(name));
    await this.upsertSchedules();
    this.logger.log(`Consuming ${this.registry.queues().join(', ') || 'no queues'}`);
  }

  async onModuleDestroy(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.close()));
  }

  private startWorker(name: QueueName): Worker {
    const { queue } = this.settings;
    const worker = new Worker(
      name,
      (job: Job) => this.registry.dispatch(name, { id: job.id as string, name: job.name, data: job.data, attempt: job.attemptsMade + 1 }),
      {
        connection: this.settings.connection,
        prefix: this.settings.prefix,
        concurrency: queue.concurrency,
        removeOnComplete: { count: queue.keepCompleted },
        removeOnFail: { count: queue.keepFailed },
      },
    );
    logErrorsThrottled(worker, this.logger, `Worker ${name}`);
    worker.on('failed', (job, error) => {
      const attempt = job ? `${job.attemptsMade}/${job.opts.attempts ?? 1}` : '?';
      this.logger.warn(`Job ${name}/${job?.name} ${job?.id} failed (attempt ${attempt}): ${error.message}`);
    });
    return worker;
  }

  /** Upserts by deterministic id, so every replica converges on one scheduler per schedule. */
  private async upsertSchedules(): Promise<void> {
    const byName = new Map(this.queues.map((queue) => [queue.name, queue]));
    for (const schedule of this.registry.schedules()) {
      const queue = byName.get(schedule.queue);
      if (!queue) throw new Error(`Queue ${schedule.queue} is not registered with QueueModule`);
      await queue.upsertJobScheduler(
        schedule.id,
        { every: schedule.everyMs },
        { name: schedule.name, data: schedule.data, opts: defaultJobOptions(this.settings.queue) },
      );
    }
  }
}
