import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { createCacheRedisClient } from '@app/cache';
import type { AppConfig } from '@app/config';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit-store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/**
 * Binds {@link RATE_LIMIT_STORE}: Redis when REDIS_URL is set (exact across replicas, under the
 * cache's key prefix), in process otherwise (embedded mode). Its own Redis connection, so a
 * slow cache command never queues in front of an admission.
 */
@Global()
@Module({})
export class RateLimitsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: RateLimitsModule,
      providers: [{ provide: RATE_LIMIT_STORE, useFactory: (): RateLimitStore => createRateLimitStore(config) }],
      exports: [RATE_LIMIT_STORE],
    };
  }

  async onModuleInit(): Promise<void> {
    if (this.store instanceof RedisRateLimitStore) await this.store.ready();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.store instanceof RedisRateLimitStore) await this.store.close();
  }
}

function createRateLimitStore(config: AppConfig): RateLimitStore {
  if (!config.redisUrl) return new MemoryRateLimitStore();
  return new RedisRateLimitStore(createCacheRedisClient(config.redisUrl, config.cache.keyPrefix));
}
