import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { buildConfig } from '@app/config';
import { CACHE_STORE, type CacheStore } from './cache-store';
import { CacheModule } from './cache.module';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('CacheModule with REDIS_URL', () => {
  it('binds the Redis store under REDIS_KEY_PREFIX and releases its connection on close', async () => {
    const prefix = `switchyard-test:${randomUUID()}:`;
    const config = buildConfig({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
    const app = await Test.createTestingModule({ imports: [CacheModule.forRoot(config)] }).compile();
    await app.init();
    const store = app.get<CacheStore>(CACHE_STORE);
    expect(store.kind).toBe('redis');
    await store.set('module-key', 'v', 10_000);

    const raw = new Redis(REDIS_URL);
    try {
      expect(await raw.get(`${prefix}module-key`)).toBe('v');
      await raw.del(`${prefix}module-key`);
    } finally {
      await raw.quit();
    }

    await app.close();
    await expect(store.ping()).rejects.toThrow();
  });
});
