import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayMetrics } from '@app/observability';
import type { NewUsageRecord } from './new-usage-record';
import { UsageRepository } from './usage.repository';

/** Pauses before the 2nd and 3rd try of a failed batch; after the last one the batch is dropped. */
const RETRY_DELAYS_MS = [100, 500] as const;

interface FlushWaiter {
  /** Resolve once this many records have been settled (written, or dropped after failing). */
  readonly target: number;
  readonly resolve: () => void;
}

/**
 * Buffers usage records off the request path and writes them in bulk. `record()` is synchronous
 * and never fails; writes happen every USAGE_FLUSH_INTERVAL or as soon as USAGE_FLUSH_BATCH_SIZE
 * records wait, one write at a time. Losses (full buffer, database down) are counted in
 * `switchyard_usage_records_dropped_total` rather than slowing requests down.
 */
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

  constructor(
    @Inject(UsageRepository) private readonly repository: Pick<UsageRepository, 'insertMany'>,
    @Inject(GatewayMetrics) private readonly metrics: Pick<GatewayMetrics, 'countUsageDropped' | 'countUsageWritten'>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Queues one record for writing. Never throws, never waits; drops (and counts) when the buffer is full. */
  record(rec: NewUsageRecord): void {
    const { bufferLimit, flushBatchSize } = this.config.usage;
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

  /** Resolves once every record buffered at call time has been written (or dropped after failing). */
  flush(): Promise<void> {
    const target = this.accepted;
    if (this.settled >= target) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ target, resolve }));
    this.startDrain();
    return done;
  }

  /** Stops the timer and writes everything buffered. Idempotent; later records are written one by one. */
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
    await this.flush();
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
    while (remaining > 0) {
      const batch = this.buffer.splice(0, Math.min(remaining, this.config.usage.flushBatchSize));
      remaining -= batch.length;
      this.inFlight = batch.length;
      await this.writeBatch(batch);
      this.inFlight = 0;
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

  private async writeBatch(batch: NewUsageRecord[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.repository.insertMany(batch);
      } catch (error) {
        if (attempt < RETRY_DELAYS_MS.length) {
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
          continue;
        }
        this.metrics.countUsageDropped('write_failed', batch.length);
        // The message only: a query error's parameters would carry the records themselves.
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.error(`Dropped ${batch.length} usage records after ${attempt + 1} failed writes: ${reason}`);
        return;
      }
      this.metrics.countUsageWritten(batch.length);
      return;
    }
  }

  private releaseWaiters(): void {
    const done = this.waiters.filter((waiter) => waiter.target <= this.settled);
    this.waiters = this.waiters.filter((waiter) => waiter.target > this.settled);
    for (const waiter of done) waiter.resolve();
  }
}
