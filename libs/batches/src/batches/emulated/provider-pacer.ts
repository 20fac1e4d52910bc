import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ForegroundTraffic } from '@app/observability';

interface Lane {
  running: number;
  readonly waiting: Array<() => void>;
  /** No new item starts on this provider before this instant (set by a 429). */
  pausedUntil: number;
}

/**
 * Paces emulated batch items per provider in this process: at most BATCH_CONCURRENCY in flight per
 * provider, whatever the number of batches, and after a rate limit no new item for that provider
 * starts until the pause (the upstream's retry-after, else the backoff) is over, so a 429 slows the
 * batches instead of burning their items.
 *
 * Live traffic first: while this process also serves inference requests (the embedded gateway),
 * at most BATCH_FOREGROUND_CONCURRENCY items per provider are in flight, so a batch keeps moving
 * without slowing the requests someone is waiting for. A worker process serves none: it always
 * runs at BATCH_CONCURRENCY.
 */
@Injectable()
export class ProviderPacer {
  private readonly lanes = new Map<string, Lane>();
  private readonly limit: number;
  private readonly foregroundLimit: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() private readonly foreground?: ForegroundTraffic,
  ) {
    this.limit = config.batches.concurrency;
    this.foregroundLimit = Math.min(config.batches.foregroundConcurrency, this.limit);
  }

  /** Runs `work` when the provider has a free slot and is not paused. */
  async run<T>(provider: string, work: () => Promise<T>): Promise<T> {
    const lane = this.lane(provider);
    await this.acquire(lane);
    try {
      const wait = lane.pausedUntil - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return await work();
    } finally {
      lane.running--;
      // Fills every free slot: after live traffic stops, the lane climbs back to its full limit.
      const limit = this.currentLimit();
      while (lane.running < limit && lane.waiting.length > 0) lane.waiting.shift()!();
    }
  }

  pause(provider: string, ms: number): void {
    const lane = this.lane(provider);
    lane.pausedUntil = Math.max(lane.pausedUntil, Date.now() + ms);
  }

  /** Items allowed in flight per provider right now. */
  currentLimit(): number {
    return this.foreground?.busy ? this.foregroundLimit : this.limit;
  }

  private acquire(lane: Lane): Promise<void> {
    if (lane.running < this.currentLimit()) {
      lane.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      lane.waiting.push(() => {
        lane.running++;
        resolve();
      }),
    );
  }

  private lane(provider: string): Lane {
    let lane = this.lanes.get(provider);
    if (!lane) {
      lane = { running: 0, waiting: [], pausedUntil: 0 };
      this.lanes.set(provider, lane);
    }
    return lane;
  }
}
