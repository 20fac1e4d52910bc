import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';

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
 */
@Injectable()
export class ProviderPacer {
  private readonly lanes = new Map<string, Lane>();
  private readonly limit: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limit = config.batches.concurrency;
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
      lane.waiting.shift()?.();
    }
  }

  pause(provider: string, ms: number): void {
    const lane = this.lane(provider);
    lane.pausedUntil = Math.max(lane.pausedUntil, Date.now() + ms);
  }

  private acquire(lane: Lane): Promise<void> {
    if (lane.running < this.limit) {
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
