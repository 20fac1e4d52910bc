import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayMetrics } from '@app/observability';
import { isTransientStorageError } from '../database/transient-error';
import type { NewUsageRecord } from './new-usage-record';
import { UsageRepository } from './usage.repository';

/** Pause after the first failed write while the database is unavailable; doubled per failure up to the cap. */
const RETRY_BASE_MS = 100;
const RETRY_MAX_MS = 5_000;
/** How long the final flush at shutdown keeps trying an unavailable database before it gives up. */
export const FINAL_FLUSH_DEADLINE_MS = 10_000;

interface FlushWaiter {
  /** Resolve once this many records have been settled (written, or dropped). */
  readonly target: number;
  readonly resolve: () => void;
}

/**
 * Buffers usage records off the request path and writes them in bulk. `record()` is synchronous
 * and never fails; writes happen every USAGE_FLUSH_INTERVAL or as soon as USAGE_FLUSH_BATCH_SIZE
 * records wait, one write at a time. While the database is unavailable the records stay buffered
 * (up to USAGE_BUFFER_LIMIT) and the write is retried with backoff; rows the database refuses are
 * isolated so the rest of their batch still lands. Losses are counted in
 * `switchyard_usage_records_dropped_total` rather than slowing requests down.
 */
/** How many refused records' request ids one log line names. */
const MAX_NAMED_REQUEST_IDS = 10;

@Injectable()
export class UsageWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(UsageWriter.name);
  private buffer: NewUsageRecord[] = [];
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
    @Inject(UsageRepository) private readonly repository: Pick<UsageRepository, 'insertMany'>,
    @Inject(GatewayMetrics) private readonly metrics: Pick<GatewayMetrics, 'countUsageDropped' | 'countUsageWritten'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Queues one record for writing. Never throws, never waits; drops (and counts) when the buffer is full. */
  record(rec: NewUsageRecord): void {
    const { bufferLimit, flushBatchSize } = this.config.usage;
    if (this.abandoned) {
      this.metrics.countUsageDropped('write_failed');
      return;
    }
    if (this.buffer.length + this.inFlight >= bufferLimit) {
      this.metrics.countUsageDropped('buffer_full');
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
    this.metrics.countUsageDropped('write_failed', lost);
    this.logger.error(`Gave up on ${lost} usage records at shutdown: the database was still unavailable after ${FINAL_FLUSH_DEADLINE_MS} ms`);
    this.wake?.();
    this.releaseWaiters();
  }

  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.startDrain();
    }, this.config.usage.flushIntervalMs);
    // A pending usage flush must not keep the process alive; shutdown flushes explicitly.
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
      .catch((error: unknown) => this.logger.error(`Usage flush failed unexpectedly: ${String(error)}`))
      .finally(() => {
        this.draining = undefined;
        this.afterDrain();
      });
  }

  /** Writes what is buffered now; records arriving meanwhile wait for their own trigger, so batches stay large. */
  private async drain(): Promise<void> {
    let remaining = this.buffer.length;
    while (remaining > 0 && !this.abandoned) {
      const batch = this.buffer.splice(0, Math.min(remaining, this.config.usage.flushBatchSize));
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
    const due = this.waiters.length > 0 || this.closing !== undefined || this.buffer.length >= this.config.usage.flushBatchSize;
    if (due) this.startDrain();
    else this.armTimer();
  }

  /**
   * Writes one batch. An unavailable database is waited out (the batch stays in memory); a batch
   * the database refuses is split in halves until the refused rows are alone, and only those are
   * dropped: one client's odd request must not cost every other client their usage.
   */
  private async writeBatch(batch: NewUsageRecord[]): Promise<void> {
    const parts = [batch]; // next part last
    let failures = 0;
    const refusedIds: string[] = [];
    let firstRefusal: unknown;
    while (parts.length > 0 && !this.abandoned) {
      const part = parts[parts.length - 1];
      try {
        await this.repository.insertMany(part);
      } catch (error) {
        if (this.abandoned) return;
        if (isTransientStorageError(error)) {
          await this.pause(failures++, error);
          continue;
        }
        parts.pop();
        if (part.length > 1) parts.push(part.slice(part.length >> 1), part.slice(0, part.length >> 1));
        else {
          refusedIds.push(part[0].requestId);
          firstRefusal ??= error;
        }
        continue;
      }
      parts.pop();
      if (this.abandoned) return;
      if (failures > 0) this.logger.log(`Usage database reachable again after ${failures} failed writes`);
      failures = 0;
      this.metrics.countUsageWritten(part.length);
    }
    if (refusedIds.length > 0 && !this.abandoned) this.dropRefused(refusedIds, batch.length, firstRefusal);
  }

  private dropRefused(requestIds: string[], batchSize: number, error: unknown): void {
    this.metrics.countUsageDropped('write_failed', requestIds.length);
    // The message only: a query error's parameters would carry the records themselves. Batches are
    // written after their requests ended, so the request ids are named here (a bounded few).
    const named = requestIds.slice(0, MAX_NAMED_REQUEST_IDS).join(', ');
    this.logger.error(
      `Dropped ${requestIds.length} of ${batchSize} usage records the database refused (request ids: ${named}${requestIds.length > MAX_NAMED_REQUEST_IDS ? ', …' : ''}): ${messageOf(error)}`,
    );
  }

  /** Waits before the next try: 100 ms, doubling per failure, at most 5 s; ends early when shutdown gives up. */
  private pause(failures: number, error: unknown): Promise<void> {
    if (failures === 0) this.logger.warn(`Usage database unavailable; keeping records buffered and retrying: ${messageOf(error)}`);
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
