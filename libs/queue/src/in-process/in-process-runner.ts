import type { LoggerService } from '@nestjs/common';
import type { QueueConfig } from '@app/config';
import { assertValidJobId } from '../job-id';
import type { AddJobOptions } from '../job-queue';
import type { JobContext } from '../job-processor';
import type { QueueName } from '../queue-names';
import { QueueClosedError } from '../queue-closed.error';
import { backoffDelayMs } from '../retry-policy';
import { RecentIds } from './recent-ids';

/** Runs one job; rejecting means the try failed. */
export type JobHandler = (queue: QueueName, job: JobContext) => Promise<unknown>;

interface RunnerJob {
  readonly key: string;
  readonly id: string;
  readonly queue: QueueName;
  readonly name: string;
  readonly data: unknown;
  attempt: number;
}

interface Lane {
  readonly ready: RunnerJob[];
  running: number;
}

/**
 * The embedded mode's job engine: BullMQ's semantics (per-queue concurrency, attempts with
 * exponential backoff, idempotent job ids, kept finished ids) in memory. Nothing is persisted:
 * jobs still waiting when the process stops are lost, which is why production uses Redis.
 */
export class InProcessRunner {
  private readonly lanes = new Map<QueueName, Lane>();
  /** Keys of jobs waiting, delayed, running or between two tries. */
  private readonly active = new Set<string>();
  private readonly completed: RecentIds;
  private readonly failed: RecentIds;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private lastId = 0;
  private closed = false;

  constructor(
    private readonly settings: QueueConfig,
    private readonly handler: JobHandler,
    private readonly logger: Pick<LoggerService, 'warn' | 'error'>,
  ) {
    this.completed = new RecentIds(settings.keepCompleted);
    this.failed = new RecentIds(settings.keepFailed);
  }

  /** Enqueues a job and returns its id; a known id is returned without enqueuing anything. */
  add(queue: QueueName, name: string, data: unknown, options: AddJobOptions = {}): string {
    if (this.closed) throw new QueueClosedError(queue);
    if (options.jobId !== undefined) assertValidJobId(options.jobId);
    const id = options.jobId ?? String(++this.lastId);
    // Ids are per queue, as in BullMQ; neither part can contain ':', so the key is unambiguous.
    const key = `${queue}:${id}`;
    if (this.active.has(key) || this.completed.has(key) || this.failed.has(key)) return id;
    this.active.add(key);
    this.schedule({ key, id, queue, name, data, attempt: 1 }, options.delayMs ?? 0);
    return id;
  }

  /**
   * Stops taking jobs, drops the waiting and delayed ones (there is nowhere to keep them) and waits
   * up to `timeoutMs` for running jobs to finish.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const dropped = this.timers.size + [...this.lanes.values()].reduce((sum, lane) => sum + lane.ready.length, 0);
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    this.lanes.forEach((lane) => lane.ready.splice(0));
    if (dropped > 0) this.logger.warn(`${dropped} queued job(s) dropped at shutdown: in-process jobs are not persisted`);
    if (this.running.size === 0) return;
    const finished = await waitAtMost(Promise.allSettled([...this.running]), timeoutMs);
    if (!finished) this.logger.warn(`${this.running.size} job(s) still running after ${timeoutMs} ms; shutting down anyway`);
  }

  private schedule(job: RunnerJob, delayMs: number): void {
    if (delayMs <= 0) return this.enqueue(job);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue(job);
    }, delayMs);
    // Pending jobs must not keep a process alive that is otherwise done.
    timer.unref();
    this.timers.add(timer);
  }

  private enqueue(job: RunnerJob): void {
    let lane = this.lanes.get(job.queue);
    if (!lane) {
      lane = { ready: [], running: 0 };
      this.lanes.set(job.queue, lane);
    }
    lane.ready.push(job);
    this.pump(lane);
  }

  private pump(lane: Lane): void {
    while (!this.closed && lane.running < this.settings.concurrency && lane.ready.length > 0) {
      const job = lane.ready.shift() as RunnerJob;
      lane.running += 1;
      const run: Promise<void> = this.execute(job).finally(() => {
        lane.running -= 1;
        this.running.delete(run);
        this.pump(lane);
      });
      this.running.add(run);
    }
  }

  private async execute(job: RunnerJob): Promise<void> {
    try {
      await this.handler(job.queue, { id: job.id, name: job.name, data: job.data, attempt: job.attempt });
      this.finish(job, this.completed);
    } catch (error) {
      this.retryOrFail(job, error);
    }
  }

  private retryOrFail(job: RunnerJob, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const label = `Job ${job.queue}/${job.name} ${job.id} failed on attempt ${job.attempt}/${this.settings.attempts}`;
    if (job.attempt < this.settings.attempts && !this.closed) {
      const delayMs = backoffDelayMs(this.settings, job.attempt);
      this.logger.warn(`${label}, retrying in ${delayMs} ms: ${reason}`);
      job.attempt += 1;
      this.schedule(job, delayMs);
      return;
    }
    this.logger.error(`${label}, giving up: ${reason}`, error instanceof Error ? error.stack : undefined);
    this.finish(job, this.failed);
  }

  private finish(job: RunnerJob, outcome: RecentIds): void {
    this.active.delete(job.key);
    outcome.add(job.key);
  }
}

async function waitAtMost(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
