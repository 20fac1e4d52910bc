export * from './cache-store';
export * from './cache.module';
export * from './memory-cache.store';
export * from './redis-cache.store';
export { createCacheRedisClient } from './redis-client.factory';
