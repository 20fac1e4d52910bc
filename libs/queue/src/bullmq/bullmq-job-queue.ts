import { setTimeout as sleep } from 'node:timers/promises';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { JobPayloads } from '../job-contracts';
import { assertValidJobId } from '../job-id';
import type { AddJobOptions, JobQueue } from '../job-queue';
import type { QueueName } from '../queue-names';
import { QueueUnavailableError } from '../queue-unavailable.error';
import { PRODUCER_TIMEOUT_MS } from './bullmq-settings';
import { logErrorsThrottled } from './throttled-error-log';

/**
 * {@link JobQueue} on BullMQ. Attempts, backoff and retention are the queues' default job options
 * (from config); a repeated jobId returns the existing job, which is BullMQ's own dedup.
 */
export class BullMqJobQueue implements JobQueue, OnApplicationShutdown {
  private readonly logger = new Logger('BullMqJobQueue');
  private readonly queues = new Map<string, Queue>();

  constructor(queues: readonly Queue[]) {
    for (const queue of queues) {
      this.queues.set(queue.name, queue);
      logErrorsThrottled(queue, this.logger, `Queue ${queue.name}`);
    }
  }

  /**
   * When Redis died before shutdown, BullMQ's close() marks the connection ended without stopping
   * ioredis's reconnect timer, which then keeps the process alive. disconnect() stops it; bounded,
   * because it waits for a first connection that may never have happened.
   */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => Promise.race([queue.disconnect(), sleep(1_000)]).catch(() => undefined)));
  }

  async add<N extends keyof JobPayloads>(queue: QueueName, name: N, data: JobPayloads[N], options: AddJobOptions = {}): Promise<string> {
    if (options.jobId !== undefined) assertValidJobId(options.jobId);
    const target = this.queues.get(queue);
    if (!target) throw new Error(`Queue ${queue} is not registered with QueueModule`);
    try {
      const job = await withTimeout(target.add(name, data, { jobId: options.jobId, delay: options.delayMs }), PRODUCER_TIMEOUT_MS);
      return job.id as string;
    } catch (error) {
      throw new QueueUnavailableError(queue, `Queue ${queue} could not take the job: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * Bounds waits the command timeout does not cover (BullMQ awaiting a connection that is not ready).
 * An add that lands after the timeout leaves a job whose caller gave up; its handler must cope
 * (jobs are idempotent and find their rows gone).
 */
async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
