import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { assertIncrement, normalizeTtlMs } from './cache-arguments';
import type { CacheStore } from './cache-store';

// SET NX creates the counter with its TTL; an existing counter is only incremented, so its expiry
// stays where creation put it. One script = one atomic step for every replica.
const INCREMENT_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  return tonumber(ARGV[1])
end
return redis.call('INCRBY', KEYS[1], ARGV[1])
`;

interface RedisWithIncrement extends Redis {
  switchyardIncrement(key: string, by: string, ttlMs: string): Promise<number>;
}

/**
 * {@link CacheStore} on Redis, shared by every replica. Key prefixing (REDIS_KEY_PREFIX) is done by
 * the client it is given (see createCacheRedisClient), which this store owns and quits on shutdown.
 */
export class RedisCacheStore implements CacheStore, OnModuleInit, OnModuleDestroy {
  readonly kind = 'redis' as const;
  private readonly logger = new Logger(RedisCacheStore.name);
  private readonly client: RedisWithIncrement;

  constructor(
    client: Redis,
    private readonly bootWaitMs: number,
  ) {
    client.defineCommand('switchyardIncrement', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
    this.client = client as RedisWithIncrement;
  }

  /**
   * Waits (bounded) for the first connection so early requests do not fail for nothing. A Redis
   * that stays down does not stop the boot: cache calls reject and readiness reports it.
   */
  async onModuleInit(): Promise<void> {
    if (await this.waitUntilReady(this.bootWaitMs)) return;
    this.logger.warn(`Redis not reachable within ${this.bootWaitMs} ms; starting anyway, reconnecting in the background`);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'ready') {
      try {
        await this.client.quit();
        return;
      } catch {
        // Fall through: the connection died while quitting.
      }
    }
    this.client.disconnect();
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.client.set(key, value);
    else await this.client.set(key, value, 'PX', normalizeTtlMs(ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.client.del(key);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(key, value, 'PX', normalizeTtlMs(ttlMs), 'NX')) === 'OK';
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    // Bounded batches: one DEL of a million keys would block Redis for every replica.
    for (let start = 0; start < keys.length; start += 500) await this.client.del(...keys.slice(start, start + 500));
  }

  async addToSet(key: string, member: string): Promise<void> {
    await this.client.sadd(key, member);
  }

  async setMembers(key: string): Promise<string[]> {
    return this.client.smembers(key);
  }

  async increment(key: string, by: number, ttlMs: number): Promise<number> {
    assertIncrement(by);
    const ttl = normalizeTtlMs(ttlMs);
    return Number(await this.client.switchyardIncrement(key, String(by), String(ttl)));
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  private waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const onReady = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.client.once('ready', onReady);
    });
  }
}
