import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createCacheRedisClient } from '@app/cache';
import type { BudgetCounter, BudgetLedger } from '../budgets/budget-ledger';
import { MemoryBudgetLedger } from '../budgets/memory-budget.ledger';
import { RedisBudgetLedger } from '../budgets/redis-budget.ledger';
import { MemoryRateLimitStore } from '../rate-limits/memory-rate-limit.store';
import type { LimitAcquire, LimitCheck, RateLimitStore } from '../rate-limits/rate-limit-store';
import { RedisRateLimitStore } from '../rate-limits/redis-rate-limit.store';
import type { AdmissionStore } from './admission-store';
import { admissionStoreFor } from './admission-store.module';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `switchyard-test:${randomUUID()}:`;
let raw: Redis;
let redisLimits: RedisRateLimitStore;
let redisLedger: RedisBudgetLedger;

beforeAll(async () => {
  raw = new Redis(REDIS_URL);
  redisLimits = new RedisRateLimitStore(createCacheRedisClient(REDIS_URL, prefix));
  redisLedger = new RedisBudgetLedger(createCacheRedisClient(REDIS_URL, prefix));
  await Promise.all([redisLimits.ready(), redisLedger.ready()]);
});

afterAll(async () => {
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  await Promise.all([redisLimits.close(), redisLedger.close()]);
  await raw.quit();
});

interface World {
  readonly store: AdmissionStore;
  /** The same counters through the stores the admin API and batch workers use. */
  readonly limits: RateLimitStore;
  readonly ledger: BudgetLedger;
}

const counter = (limitMicros: number): BudgetCounter => ({ key: `budget:{${randomUUID()}}:0`, limitMicros, ttlMs: 60_000 });
const acquire = (checks: LimitCheck[], tokens = 0): LimitAcquire => ({ checks, leaseId: randomUUID(), tokens, leaseTtlMs: 60_000 });

function behaves(name: string, make: () => World) {
  describe(`${name}: one step for limits and budgets`, () => {
    it('admits with both, counting the request and reserving its cost', async () => {
      const { store, ledger } = make();
      const budget = counter(1_000);
      await ledger.seed(budget, 100);
      const verdict = await store.admit({
        limits: acquire([{ subject: `key:${randomUUID()}`, requestsPerMinute: 3, tokensPerMinute: 1_000 }], 200),
        budget: { counters: [budget], amountMicros: 300 },
      });
      expect(verdict.budget).toEqual({ status: 'reserved' });
      expect(verdict.limits).toMatchObject({ allowed: true, states: [{ requests: { limit: 3, remaining: 2 }, tokens: { limit: 1_000, remaining: 800 } }] });
      expect(await ledger.read([budget.key])).toEqual([400]);
    });

    it('reports missing budget counters and adds nothing, not even the request to its limits', async () => {
      const { store, limits, ledger } = make();
      const budget = counter(1_000);
      const check = { subject: `key:${randomUUID()}`, requestsPerMinute: 1 };
      expect(await store.admit({ limits: acquire([check]), budget: { counters: [budget], amountMicros: 10 } })).toEqual({ budget: { status: 'missing', indexes: [0] } });
      await ledger.seed(budget, 0);
      expect((await store.admit({ limits: acquire([check]), budget: { counters: [budget], amountMicros: 10 } })).limits?.allowed).toBe(true);
      expect((await limits.acquire(acquire([check]))).refused?.kind).toBe('requests');
    });

    it('a budget without room refuses before the limits count the request', async () => {
      const { store, limits, ledger } = make();
      const budget = counter(1_000);
      await ledger.seed(budget, 950);
      const check = { subject: `key:${randomUUID()}`, requestsPerMinute: 1 };
      expect(await store.admit({ limits: acquire([check]), budget: { counters: [budget], amountMicros: 100 } })).toEqual({
        budget: { status: 'exceeded', index: 0, spentMicros: 950 },
      });
      expect((await limits.acquire(acquire([check]))).allowed).toBe(true); // the refused request took no slot
      expect(await ledger.read([budget.key])).toEqual([950]);
    });

    it('a limit without room refuses and leaves the budget unreserved', async () => {
      const { store, ledger } = make();
      const budget = counter(1_000);
      await ledger.seed(budget, 0);
      const check = { subject: `key:${randomUUID()}`, requestsPerMinute: 1 };
      const admit = () => store.admit({ limits: acquire([check]), budget: { counters: [budget], amountMicros: 100 } });
      expect((await admit()).limits?.allowed).toBe(true);
      const refused = await admit();
      expect(refused.limits).toMatchObject({ allowed: false, refused: { index: 0, kind: 'requests' } });
      expect(await ledger.read([budget.key])).toEqual([100]);
    });

    it('settles both: frees the in-flight slot, corrects tokens to usage and the budget to the true cost', async () => {
      const { store, ledger } = make();
      const budget = counter(10_000);
      await ledger.seed(budget, 0);
      const check = { subject: `key:${randomUUID()}`, tokensPerMinute: 1_000, maxParallel: 1 };
      const first = acquire([check], 900);
      expect((await store.admit({ limits: first, budget: { counters: [budget], amountMicros: 500 } })).limits?.allowed).toBe(true);
      // In flight and 900 tokens counted: a second request is refused for concurrency.
      expect((await store.admit({ limits: acquire([check], 50) })).limits?.refused?.kind).toBe('concurrency');
      await store.settle({ limits: { checks: [check], leaseId: first.leaseId, reservedTokens: 900, usedTokens: 100 }, budget: { counters: [budget], deltaMicros: 120 - 500 } });
      expect(await ledger.read([budget.key])).toEqual([120]);
      const next = await store.admit({ limits: acquire([check], 850) });
      expect(next.limits).toMatchObject({ allowed: true, states: [{ tokens: { limit: 1_000, remaining: 50 } }] });
    });

    it('admits and settles many requests issued in the same turn, each getting its own verdict', async () => {
      const { store, ledger } = make();
      const budget = counter(1_000);
      await ledger.seed(budget, 0);
      const check = { subject: `key:${randomUUID()}`, requestsPerMinute: 5 };
      // Eight admits in one turn (Redis: one pipeline): exactly five fit the limit, in order.
      const leases = Array.from({ length: 8 }, () => acquire([check]));
      const verdicts = await Promise.all(leases.map((lease) => store.admit({ limits: lease, budget: { counters: [budget], amountMicros: 100 } })));
      expect(verdicts.map((verdict) => verdict.limits?.allowed)).toEqual([true, true, true, true, true, false, false, false]);
      expect(await ledger.read([budget.key])).toEqual([500]);
      await Promise.all(
        leases
          .slice(0, 5)
          .map((lease) =>
            store.settle({ limits: { checks: [check], leaseId: lease.leaseId, reservedTokens: 0, usedTokens: 0 }, budget: { counters: [budget], deltaMicros: -60 } }),
          ),
      );
      expect(await ledger.read([budget.key])).toEqual([200]);
    });

    it('decides each request of one turn on its own: a missing counter, a spent budget and a full limit refuse only their request', async () => {
      const { store, ledger } = make();
      const [fine, spent, missing] = [counter(1_000), counter(100), counter(1_000)];
      await ledger.seed(fine, 0);
      await ledger.seed(spent, 100);
      const full = { subject: `key:${randomUUID()}`, requestsPerMinute: 1 };
      const free = { subject: `key:${randomUUID()}`, requestsPerMinute: 10, tokensPerMinute: 1_000 };
      // One turn (Redis: one script call for all five).
      const verdicts = await Promise.all([
        store.admit({ limits: acquire([full]), budget: { counters: [fine], amountMicros: 10 } }),
        store.admit({ limits: acquire([free], 100), budget: { counters: [missing, fine], amountMicros: 10 } }),
        store.admit({ limits: acquire([full]), budget: { counters: [fine], amountMicros: 10 } }),
        store.admit({ budget: { counters: [fine, spent], amountMicros: 1 } }),
        store.admit({ limits: acquire([free], 100) }),
      ]);
      expect(verdicts[0].limits?.allowed).toBe(true);
      expect(verdicts[1]).toEqual({ budget: { status: 'missing', indexes: [0] } });
      expect(verdicts[2].limits).toMatchObject({ allowed: false, refused: { kind: 'requests' } });
      expect(verdicts[3]).toEqual({ budget: { status: 'exceeded', index: 1, spentMicros: 100 } });
      // The missing counter's request took no slot and no tokens of `free`.
      expect(verdicts[4].limits).toMatchObject({ allowed: true, states: [{ requests: { remaining: 9 }, tokens: { remaining: 900 } }] });
      expect(await ledger.read([fine.key, spent.key])).toEqual([10, 100]);
    });

    it('admits with budgets only or limits only', async () => {
      const { store, ledger } = make();
      const budget = counter(100);
      await ledger.seed(budget, 0);
      expect(await store.admit({ budget: { counters: [budget], amountMicros: 100 } })).toEqual({ budget: { status: 'reserved' } });
      expect(await store.admit({ budget: { counters: [budget], amountMicros: 0 } })).toMatchObject({ budget: { status: 'exceeded' } });
      expect((await store.admit({ limits: acquire([{ subject: `user:/${randomUUID()}`, requestsPerMinute: 5 }]) })).limits?.allowed).toBe(true);
    });
  });
}

behaves('Redis', () => ({ store: admissionStoreFor(redisLimits, redisLedger), limits: redisLimits, ledger: redisLedger }));
behaves('in process', () => {
  const limits = new MemoryRateLimitStore();
  const ledger = new MemoryBudgetLedger();
  return { store: admissionStoreFor(limits, ledger), limits, ledger };
});
