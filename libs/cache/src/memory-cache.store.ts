import { LRUCache } from 'lru-cache';
import { assertIncrement, normalizeTtlMs } from './cache-arguments';
import type { CacheStore } from './cache-store';

/**
 * In-process {@link CacheStore} for embedded mode (one process, no REDIS_URL). Bounded: past
 * `maxEntries` the least recently used entry is evicted. Operations run synchronously inside one
 * event-loop turn, which is what makes `increment` atomic here.
 */
export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory' as const;
  private readonly entries: LRUCache<string, string>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache<string, string>({ max: maxEntries });
  }

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.entries.get(key));
  }

  set(key: string, value: string, ttlMs?: number): Promise<void> {
    return settle(() => {
      const ttl = ttlMs === undefined ? undefined : normalizeTtlMs(ttlMs);
      // A plain set replaces the whole entry, TTL included (like Redis SET without KEEPTTL).
      this.entries.set(key, value, ttl === undefined ? undefined : { ttl });
    });
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  increment(key: string, by: number, ttlMs: number): Promise<number> {
    return settle(() => this.incrementNow(key, by, ttlMs));
  }

  async ping(): Promise<void> {
    // Memory is always reachable.
  }

  private incrementNow(key: string, by: number, ttlMs: number): number {
    assertIncrement(by);
    const ttl = normalizeTtlMs(ttlMs);
    const current = this.entries.get(key);
    if (current === undefined) {
      this.entries.set(key, String(by), { ttl });
      return by;
    }
    if (!/^-?\d+$/.test(current)) {
      throw new TypeError(`Cache value at "${key}" is not an integer`);
    }
    const next = Number(current) + by;
    // noUpdateTTL keeps the expiry chosen when the counter was created.
    this.entries.set(key, String(next), { noUpdateTTL: true });
    return next;
  }
}

/** Runs the synchronous work of an async CacheStore method: a bad argument still arrives as a rejection, as it does from Redis. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
