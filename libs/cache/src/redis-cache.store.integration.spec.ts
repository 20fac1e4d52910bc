import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisCacheStore } from './redis-cache.store';
import { createCacheRedisClient } from './redis-client.factory';
import { describeCacheStoreBehaviour } from './testing/cache-store.behaviour';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLOSED_PORT_URL = 'redis://:hunter2-secret@127.0.0.1:6390';
const prefix = `switchyard-test:${randomUUID()}:`;

let store: RedisCacheStore;
let raw: Redis;

beforeAll(async () => {
  raw = new Redis(REDIS_URL);
  store = new RedisCacheStore(createCacheRedisClient(REDIS_URL, prefix), 2_000);
  await store.onModuleInit();
});

afterAll(async () => {
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  await store.onModuleDestroy();
  await raw.quit();
});

describeCacheStoreBehaviour('RedisCacheStore', () => store);

describe('RedisCacheStore', () => {
  it('reports its kind', () => {
    expect(store.kind).toBe('redis');
  });

  it('stores every key under the configured prefix', async () => {
    await store.set('prefixed', 'v');
    await store.increment('prefixed-counter', 3, 10_000);
    expect(await raw.get(`${prefix}prefixed`)).toBe('v');
    expect(await raw.get(`${prefix}prefixed-counter`)).toBe('3');
    expect(await raw.exists('prefixed')).toBe(0);
  });

  it('gives a new counter the TTL it was created with', async () => {
    await store.increment('ttl-counter', 1, 5_000);
    const ttl = await raw.pttl(`${prefix}ttl-counter`);
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });
});

describe('RedisCacheStore against an unreachable Redis', () => {
  let down: RedisCacheStore;
  let warn: jest.SpyInstance;

  beforeAll(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    down = new RedisCacheStore(createCacheRedisClient(CLOSED_PORT_URL, prefix), 200);
  });

  afterAll(async () => {
    await down.onModuleDestroy();
    warn.mockRestore();
  });

  it('boots without waiting longer than its bound', async () => {
    const started = Date.now();
    await down.onModuleInit();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects ping and commands quickly instead of hanging', async () => {
    const started = Date.now();
    await expect(down.ping()).rejects.toThrow();
    await expect(down.get('anything')).rejects.toThrow();
    await expect(down.increment('anything', 1, 1_000)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('never logs the password from the URL', () => {
    const logged = warn.mock.calls.map((call) => String(call[0])).join('\n');
    expect(logged).toContain('127.0.0.1:6390');
    expect(logged).not.toContain('hunter2-secret');
  });
});
