import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { CACHE_STORE, type CacheStore } from './cache-store';
import { MemoryCacheStore } from './memory-cache.store';
import { REDIS_CONNECT_TIMEOUT_MS, createCacheRedisClient } from './redis-client.factory';
import { RedisCacheStore } from './redis-cache.store';

/**
 * Binds {@link CACHE_STORE} once for the whole app: Redis when REDIS_URL is set (shared by all
 * replicas), an in-process LRU otherwise (embedded mode).
 */
@Global()
@Module({})
export class CacheModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CacheModule,
      providers: [{ provide: CACHE_STORE, useFactory: (): CacheStore => createCacheStore(config) }],
      exports: [CACHE_STORE],
    };
  }
}

function createCacheStore(config: AppConfig): CacheStore {
  if (!config.redisUrl) return new MemoryCacheStore(config.cache.memoryMaxEntries);
  const client = createCacheRedisClient(config.redisUrl, config.cache.keyPrefix);
  return new RedisCacheStore(client, REDIS_CONNECT_TIMEOUT_MS);
}
