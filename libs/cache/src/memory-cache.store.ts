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
  // Sets (index keys) live beside the LRU: they are small, and an evicted index would make its entries undeletable.
  private readonly sets = new Map<string, Set<string>>();

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

  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return settle(() => {
      const ttl = normalizeTtlMs(ttlMs);
      if (this.entries.has(key)) return false;
      this.entries.set(key, value, { ttl });
      return true;
    });
  }

  deleteMany(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.entries.delete(key);
      this.sets.delete(key);
    }
    return Promise.resolve();
  }

  addToSet(key: string, member: string): Promise<void> {
    let set = this.sets.get(key);
    if (!set) this.sets.set(key, (set = new Set()));
    set.add(member);
    return Promise.resolve();
  }

  setMembers(key: string): Promise<string[]> {
    return Promise.resolve([...(this.sets.get(key) ?? [])]);
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
