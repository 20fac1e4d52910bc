export * from './cache-store';
export * from './cache.module';
export * from './memory-cache.store';
export * from './redis-cache.store';
export { createCacheRedisClient, redactRedisUrl } from './redis-client.factory';
