/** Injection token of the process-wide {@link CacheStore}. */
export const CACHE_STORE = Symbol('CACHE_STORE');

/**
 * Key/value cache and counters shared by the gateway's features (response cache, budgets, rate
 * limits, circuit-breaker state). Redis-backed when REDIS_URL is set, so values are shared by every
 * replica; in-process memory otherwise. Keys are namespaced by the caller (`ratelimit:<key>` …);
 * the Redis store adds the deployment-wide REDIS_KEY_PREFIX itself.
 */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  /** The stored value, or undefined when the key is absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores a value; without `ttlMs` it never expires (but the memory store may evict it). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Atomically adds `by` (an integer, may be negative) to the integer stored at `key` and returns
   * the new value. A missing key counts as 0 and is created with `ttlMs`; later increments do not
   * extend it, so a fixed window ends when its first hit said. Rejects when the stored value is not
   * an integer.
   */
  increment(key: string, by: number, ttlMs: number): Promise<number>;
  /**
   * Stores a value only when the key is absent (Redis SET NX PX); true when it was stored. What
   * cross-replica locks are made of: the first caller wins, the lock ends with its TTL at the latest.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes several keys at once (absent ones are ignored). */
  deleteMany(keys: readonly string[]): Promise<void>;
  /** Adds a member to the set at `key` (created when absent; a set never expires by itself). */
  addToSet(key: string, member: string): Promise<void>;
  /** The members of the set at `key`; empty when absent. */
  setMembers(key: string): Promise<string[]>;
  /** Resolves when the store answers; rejects quickly when it is unreachable (readiness checks). */
  ping(): Promise<void>;
}
