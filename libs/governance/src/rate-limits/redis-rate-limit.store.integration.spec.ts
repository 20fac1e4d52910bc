import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createCacheRedisClient } from '@app/cache';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import type { LimitCheck, RateLimitStore } from './rate-limit-store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `switchyard-test:${randomUUID()}:`;
let raw: Redis;
const stores: RedisRateLimitStore[] = [];

beforeAll(() => {
  raw = new Redis(REDIS_URL);
  // Two clients, as two replicas would have.
  for (let i = 0; i < 2; i++) stores.push(new RedisRateLimitStore(createCacheRedisClient(REDIS_URL, prefix)));
  return Promise.all(stores.map((store) => store.ready()));
});

afterAll(async () => {
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  await Promise.all(stores.map((store) => store.close()));
  await raw.quit();
});

const acquire = (store: RateLimitStore, checks: LimitCheck[], tokens = 0, leaseId: string = randomUUID()) => store.acquire({ checks, leaseId, tokens, leaseTtlMs: 60_000 });

function behaves(name: string, make: () => [RateLimitStore, RateLimitStore]) {
  describe(`${name}: sliding-window log`, () => {
    it('admits exactly the RPM limit from concurrent callers on two clients, then refuses with a wait inside the window', async () => {
      const [a, b] = make();
      const check = { subject: `key:${randomUUID()}`, requestsPerMinute: 100 };
      // 160 callers in 4 concurrent waves of 40, alternating clients: still racing across two
      // connections, but no connection queues so many scripts that one passes the client's 1 s
      // command timeout on a loaded 2-core CI machine (it did, once, with all 160 at once).
      const verdicts = [];
      for (let wave = 0; wave < 4; wave++) verdicts.push(...(await Promise.all(Array.from({ length: 40 }, (_, i) => acquire(i % 2 ? a : b, [check])))));
      expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(100);
      const refused = verdicts.find((verdict) => !verdict.allowed)!.refused!;
      expect(refused.kind).toBe('requests');
      expect(refused.retryAfterMs).toBeGreaterThan(55_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    it('counts tokens, refuses what would overrun the TPM, and corrects the entry to the true usage on release', async () => {
      const [a] = make();
      const check = { subject: `key:${randomUUID()}`, tokensPerMinute: 1000 };
      const first = await acquire(a, [check], 700, 'lease-1');
      expect(first.states[0].tokens).toMatchObject({ limit: 1000, remaining: 300 });
      expect((await acquire(a, [check], 400)).refused?.kind).toBe('tokens');
      await a.release({ checks: [check], leaseId: 'lease-1', reservedTokens: 700, usedTokens: 100 });
      const after = await acquire(a, [check], 400);
      expect(after.allowed).toBe(true);
      expect(after.states[0].tokens?.remaining).toBe(500);
    });

    it('holds concurrency leases until released, and is all-or-nothing across checks', async () => {
      const [a, b] = make();
      const key = { subject: `key:${randomUUID()}`, maxParallel: 2, requestsPerMinute: 50 };
      const path = { subject: `user:${randomUUID()}`, maxParallel: 1 };
      expect((await acquire(a, [key], 0, 'l1')).allowed).toBe(true);
      expect((await acquire(b, [key], 0, 'l2')).allowed).toBe(true);
      const third = await acquire(a, [key]);
      expect(third.refused?.kind).toBe('concurrency');
      await b.release({ checks: [key], leaseId: 'l2', reservedTokens: 0, usedTokens: 0 });
      // The user-path check refuses the second request: the key check must not have counted it.
      expect((await acquire(a, [key, path], 0, 'l3')).allowed).toBe(true);
      const refused = await acquire(b, [{ ...key, maxParallel: 5 }, path]);
      expect(refused.refused).toMatchObject({ index: 1, kind: 'concurrency' });
      const state = await acquire(b, [{ ...key, maxParallel: 5 }]);
      expect(state.states[0].requests?.remaining).toBe(50 - 4);
    });
  });
}

behaves('RedisRateLimitStore', () => [stores[0], stores[1]]);
behaves('MemoryRateLimitStore', () => {
  const store = new MemoryRateLimitStore();
  return [store, store];
});

describe('RedisRateLimitStore leases', () => {
  it('lets a lease that was never released expire (a crashed replica does not leak its slot)', async () => {
    const check = { subject: `key:${randomUUID()}`, maxParallel: 1 };
    expect((await stores[0].acquire({ checks: [check], leaseId: 'crashed', tokens: 0, leaseTtlMs: 150 })).allowed).toBe(true);
    expect((await acquire(stores[1], [check])).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await acquire(stores[1], [check])).allowed).toBe(true);
  });
});
