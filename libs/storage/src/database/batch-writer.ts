import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { isTransientStorageError } from './transient-error';

/** Pause after the first failed write while the database is unavailable; doubled per failure up to the cap. */
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 5_000;
/** How long the final flush at shutdown keeps trying an unavailable database before it gives up. */
export const FINAL_FLUSH_DEADLINE_MS = 10_000;
/** How many refused records' request ids one log line names. */
const MAX_NAMED_REQUEST_IDS = 10;

interface FlushWaiter {
  /** Resolve once this many records have been settled (written, or dropped). */
  readonly target: number;
  readonly resolve: () => void;
}

/** Batching settings, read on every use so a writer follows its config object. */
export interface BatchSettings {
  readonly flushIntervalMs: number;
  readonly flushBatchSize: number;
  /** Records held in memory at most; beyond it new records are dropped and counted. */
  readonly bufferLimit: number;
}

/** What a BatchWriter writes with and reports to: the one part that differs per record kind. */
export interface BatchSink<T> {
  /** Plural noun for log lines, e.g. `usage records`. */
  readonly noun: string;
  /** Inserts one batch; lands whole or not at all. */
  insertMany(records: T[]): Promise<void>;
  /** The request a record belongs to, named when the database refuses it. */
  requestIdOf(record: T): string;
  countDropped(reason: 'buffer_full' | 'write_failed', count?: number): void;
  countWritten(count: number): void;
}

/**
 * Buffers records off the request path and writes them in bulk (usage records, audit entries).
 * `record()` is synchronous and never fails; writes happen every flushIntervalMs or as soon as
 * flushBatchSize records wait, one write at a time. While the database is unavailable the records
 * stay buffered (up to bufferLimit) and the write is retried with backoff; rows the database
 * refuses are isolated so the rest of their batch still lands. Losses are counted rather than
 * slowing requests down.
 */
export class BatchWriter<T> implements BeforeApplicationShutdown {
  private readonly logger: Logger;
  private buffer: T[] = [];
  private inFlight = 0;
  // Records are written in arrival order, so two counters tell a flush() caller when "everything
  // buffered at call time" is done.
  private accepted = 0;
  private settled = 0;
  private waiters: FlushWaiter[] = [];
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  /** Set when the shutdown flush gave up: nothing more is written. */
  private abandoned = false;
  /** Ends the current retry pause early (shutdown giving up). */
  private wake: (() => void) | undefined;

  constructor(
    private readonly sink: BatchSink<T>,
    private readonly settings: () => BatchSettings,
    loggerName: string,
  ) {
    this.logger = new Logger(loggerName);
  }

  /** Queues one record for writing. Never throws, never waits; drops (and counts) when the buffer is full. */
  record(rec: T): void {
    const { bufferLimit, flushBatchSize } = this.settings();
    if (this.abandoned) {
      this.sink.countDropped('write_failed');
      return;
    }
    if (this.buffer.length + this.inFlight >= bufferLimit) {
      this.sink.countDropped('buffer_full');
      return;
    }
    this.buffer.push(rec);
    this.accepted += 1;
    // After close() there is no timer left to wait for: write at once rather than lose the record.
    if (this.closing || this.buffer.length >= flushBatchSize) this.startDrain();
    else this.armTimer();
  }

  /** Resolves once every record buffered at call time has been written (or dropped). */
  flush(): Promise<void> {
    const target = this.accepted;
    if (this.settled >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.startDrain();
    return done;
  }

  /**
   * Stops the timer and writes everything buffered, giving up after FINAL_FLUSH_DEADLINE_MS when
   * the database stays unavailable. Idempotent; later records are written one by one.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  // Not onModuleDestroy: Nest runs destroy hooks before the HTTP server has drained, and records
  // from those last requests still have to be written. TypeORM closes its DataSource in
  // onApplicationShutdown, which runs after this hook.
  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private async shutdown(): Promise<void> {
    this.clearTimer();
    let deadline: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(true), FINAL_FLUSH_DEADLINE_MS)));
    const timedOut = await Promise.race([this.flush().then(() => false), expired]);
    clearTimeout(deadline);
    if (timedOut) this.giveUp();
  }

  /** Counts everything not yet written as lost, says so once, and stops writing. */
  private giveUp(): void {
    this.abandoned = true;
    const lost = this.accepted - this.settled;
    this.buffer = [];
    this.settled = this.accepted;
    this.sink.countDropped('write_failed', lost);
    this.logger.error(`Gave up on ${lost} ${this.sink.noun} at shutdown: the database was still unavailable after ${FINAL_FLUSH_DEADLINE_MS} ms`);
    this.wake?.();
    this.releaseWaiters();
  }

  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startDrain();
    }, this.settings().flushIntervalMs);
    // A pending flush must not keep the process alive; shutdown flushes explicitly.
    this.timer.unref();
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startDrain(): void {
    if (this.draining) return;
    this.clearTimer();
    this.draining = this.drain()
      // drain() handles write failures itself; this only guards against a bug turning into an
      // unhandled rejection, which would take the whole gateway down.
      .catch((error: unknown) => this.logger.error(`Flush of ${this.sink.noun} failed unexpectedly: ${String(error)}`))
      .finally(() => {
        this.draining = undefined;
        this.afterDrain();
      });
  }

  /** Writes what is buffered now; records arriving meanwhile wait for their own trigger, so batches stay large. */
  private async drain(): Promise<void> {
    let remaining = this.buffer.length;
    while (remaining > 0 && !this.abandoned) {
      const batch = this.buffer.splice(0, Math.min(remaining, this.settings().flushBatchSize));
      remaining -= batch.length;
      this.inFlight = batch.length;
      await this.writeBatch(batch);
      this.inFlight = 0;
      // giveUp() has already settled (and counted) the batch it interrupted.
      if (this.abandoned) return;
      this.settled += batch.length;
      this.releaseWaiters();
    }
  }

  private afterDrain(): void {
    if (this.buffer.length === 0) return;
    const due = this.waiters.length > 0 || this.closing !== undefined || this.buffer.length >= this.settings().flushBatchSize;
    if (due) this.startDrain();
    else this.armTimer();
  }

  /**
   * Writes one batch. An unavailable database is waited out (the batch stays in memory); a batch
   * the database refuses is split in halves until the refused rows are alone, and only those are
   * dropped: one client's odd request must not cost every other client their usage.
   */
  private async writeBatch(batch: T[]): Promise<void> {
    const parts = [batch]; // next part last
    let failures = 0;
    const refusedIds: string[] = [];
    let firstRefusal: unknown;
    while (parts.length > 0 && !this.abandoned) {
      const part = parts[parts.length - 1];
      try {
        await this.sink.insertMany(part);
      } catch (error) {
        if (this.abandoned) return;
        if (isTransientStorageError(error)) {
          await this.pause(failures++, error);
          continue;
        }
        parts.pop();
        if (part.length > 1) parts.push(part.slice(part.length >> 1), part.slice(0, part.length >> 1));
        else {
          refusedIds.push(this.sink.requestIdOf(part[0]));
          firstRefusal ??= error;
        }
        continue;
      }
      parts.pop();
      if (this.abandoned) return;
      if (failures > 0) this.logger.log(`Database reachable again for ${this.sink.noun} after ${failures} failed writes`);
      failures = 0;
      this.sink.countWritten(part.length);
    }
    if (refusedIds.length > 0 && !this.abandoned) this.dropRefused(refusedIds, batch.length, firstRefusal);
  }

  private dropRefused(requestIds: string[], batchSize: number, error: unknown): void {
    this.sink.countDropped('write_failed', requestIds.length);
    // The message only: a query error's parameters would carry the records themselves. Batches are
    // written after their requests ended, so the request ids are named here (a bounded few).
    const named = requestIds.slice(0, MAX_NAMED_REQUEST_IDS).join(', ');
    this.logger.error(
      `Dropped ${requestIds.length} of ${batchSize} ${this.sink.noun} the database refused (request ids: ${named}${requestIds.length > MAX_NAMED_REQUEST_IDS ? ', …' : ''}): ${messageOf(error)}`,
    );
  }

  /** Waits before the next try: 100 ms, doubling per failure, at most 5 s; ends early when shutdown gives up. */
  private pause(failures: number, error: unknown): Promise<void> {
    if (failures === 0) this.logger.warn(`Database unavailable; keeping ${this.sink.noun} buffered and retrying: ${messageOf(error)}`);
    const delay = Math.min(RETRY_BASE_MS * 2 ** failures, RETRY_MAX_MS);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, delay);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = undefined));
  }

  private releaseWaiters(): void {
    const done = this.waiters.filter((waiter) => waiter.target <= this.settled);
    this.waiters = this.waiters.filter((waiter) => waiter.target > this.settled);
    for (const waiter of done) waiter.resolve();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
