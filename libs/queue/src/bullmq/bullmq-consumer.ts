import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Job, type Queue, type RedisOptions, Worker } from 'bullmq';
import type { QueueConfig } from '@app/config';
import type { ProcessorRegistry } from '../processor-registry';
import type { JobEvent, QueueCounts, QueueMonitor } from '../queue-monitor';
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
 * which lets running jobs finish before the connections they need are closed. It is also the
 * {@link QueueMonitor} of the worker's health and metrics endpoints.
 */
export class BullMqConsumer implements OnApplicationBootstrap, OnModuleDestroy, QueueMonitor {
  private readonly logger = new Logger('BullMqConsumer');
  private readonly workers: Worker[] = [];
  private readonly listeners: ((event: JobEvent) => void)[] = [];
  private closing = false;

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
    this.closing = true;
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.close()));
  }

  consuming(): boolean {
    return !this.closing && this.workers.every((worker) => worker.isRunning());
  }

  counts(): Promise<QueueCounts[]> {
    return Promise.all(
      this.queues.map(async (queue) => {
        const { waiting = 0, active = 0, delayed = 0, failed = 0 } = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
        return { queue: queue.name as QueueName, waiting, active, delayed, failed };
      }),
    );
  }

  onJobEvent(listener: (event: JobEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(event: JobEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private startWorker(name: QueueName): Worker {
    const { queue } = this.settings;
    const worker = new Worker(name, (job: Job) => this.registry.dispatch(name, { id: job.id as string, name: job.name, data: job.data, attempt: job.attemptsMade + 1 }), {
      connection: this.settings.connection,
      prefix: this.settings.prefix,
      concurrency: queue.concurrency,
      removeOnComplete: { count: queue.keepCompleted },
      removeOnFail: { count: queue.keepFailed },
    });
    logErrorsThrottled(worker, this.logger, `Worker ${name}`);
    worker.on('failed', (job, error) => {
      const attempt = job ? `${job.attemptsMade}/${job.opts.attempts ?? 1}` : '?';
      this.logger.warn(`Job ${name}/${job?.name} ${job?.id} failed (attempt ${attempt}): ${error.message}`);
      this.emit({ kind: 'failed', queue: name, durationMs: job && runTimeMs(job) });
    });
    worker.on('completed', (job) => this.emit({ kind: 'completed', queue: name, durationMs: runTimeMs(job) }));
    // Emitted by the worker whose stalled-job check moved a job that lost its lock back to wait.
    worker.on('stalled', () => this.emit({ kind: 'stalled', queue: name }));
    return worker;
  }

  /** Upserts by deterministic id, so every replica converges on one scheduler per schedule. */
  private async upsertSchedules(): Promise<void> {
    const byName = new Map(this.queues.map((queue) => [queue.name, queue]));
    for (const schedule of this.registry.schedules()) {
      const queue = byName.get(schedule.queue);
      if (!queue) throw new Error(`Queue ${schedule.queue} is not registered with QueueModule`);
      await queue.upsertJobScheduler(schedule.id, { every: schedule.everyMs }, { name: schedule.name, data: schedule.data, opts: defaultJobOptions(this.settings.queue) });
    }
  }
}

/** Run time of the attempt that just ended; undefined when BullMQ did not record both ends. */
function runTimeMs(job: Job): number | undefined {
  return job.processedOn && job.finishedOn ? job.finishedOn - job.processedOn : undefined;
}
