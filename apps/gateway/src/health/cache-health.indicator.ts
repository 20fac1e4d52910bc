import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { CACHE_STORE, type CacheStore } from '@app/cache';

/**
 * Redis is not required to serve traffic (budgets, caches and queues degrade), so a failed ping
 * reports `degraded` and keeps the replica in rotation rather than taking it out.
 */
@Injectable()
export class CacheHealthIndicator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const session = this.indicators.check(key);
    if (this.cache.kind === 'memory') return session.up({ store: 'memory' });
    try {
      await withTimeout(this.cache.ping(), this.config.readinessTimeoutMs);
      return session.up({ store: 'redis' });
    } catch (error) {
      return session.degraded({ store: 'redis', message: (error as Error).message });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
