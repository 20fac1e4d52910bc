import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createCacheRedisClient } from '@app/cache';
import type { BudgetCounter, BudgetLedger } from './budget-ledger';
import { MemoryBudgetLedger } from './memory-budget.ledger';
import { RedisBudgetLedger } from './redis-budget.ledger';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `switchyard-test:${randomUUID()}:`;
let raw: Redis;
let redisLedger: RedisBudgetLedger;

beforeAll(() => {
  raw = new Redis(REDIS_URL);
  redisLedger = new RedisBudgetLedger(createCacheRedisClient(REDIS_URL, prefix));
  return redisLedger.ready();
});

afterAll(async () => {
  const keys = await raw.keys(`${prefix}*`);
  if (keys.length > 0) await raw.del(...keys);
  await redisLedger.close();
  await raw.quit();
});

const counter = (limitMicros: number): BudgetCounter => ({ key: `budget:{${randomUUID()}}:0`, limitMicros, ttlMs: 60_000 });

function behaves(name: string, make: () => BudgetLedger) {
  describe(`${name}: reserve and settle`, () => {
    it('reports missing counters until seeded, then reserves from the seed', async () => {
      const ledger = make();
      const budget = counter(1000);
      expect(await ledger.reserve([budget], 100)).toEqual({ status: 'missing', indexes: [0] });
      await ledger.seed(budget, 850);
      await ledger.seed(budget, 0); // an existing counter is never overwritten by a late seed
      expect(await ledger.reserve([budget], 200)).toMatchObject({ status: 'exceeded', index: 0, spentMicros: 850 });
      expect(await ledger.reserve([budget], 150)).toEqual({ status: 'reserved' });
      expect(await ledger.read([budget.key])).toEqual([1000]);
    });

    it('reserves across several budgets atomically: one without room refuses, and none is charged', async () => {
      const ledger = make();
      const key = counter(10_000);
      const team = counter(500);
      for (const c of [key, team]) await ledger.seed(c, 0);
      expect(await ledger.reserve([key, team], 400)).toEqual({ status: 'reserved' });
      expect(await ledger.reserve([key, team], 400)).toMatchObject({ status: 'exceeded', index: 1 });
      expect(await ledger.read([key.key, team.key])).toEqual([400, 400]);
    });

    it('never exceeds the limit under concurrent reservations', async () => {
      const ledger = make();
      const budget = counter(1_000);
      await ledger.seed(budget, 0);
      const results = await Promise.all(Array.from({ length: 50 }, () => ledger.reserve([budget], 30)));
      expect(results.filter((result) => result.status === 'reserved')).toHaveLength(33);
      expect((await ledger.read([budget.key]))[0]).toBe(990);
    });

    it('settles an overrun in full, and a spent budget refuses even a zero-cost request', async () => {
      const ledger = make();
      const budget = counter(1_000);
      await ledger.seed(budget, 0);
      expect(await ledger.reserve([budget], 600)).toEqual({ status: 'reserved' });
      await ledger.adjust([budget], 900 - 600); // the true cost was 900
      expect(await ledger.read([budget.key])).toEqual([900]);
      expect(await ledger.reserve([budget], 200)).toMatchObject({ status: 'exceeded' });
      await ledger.adjust([budget], 300); // another overrun past the limit is still charged
      expect(await ledger.read([budget.key])).toEqual([1200]);
      expect(await ledger.reserve([budget], 0)).toMatchObject({ status: 'exceeded', spentMicros: 1200 });
      await ledger.clear(budget);
      expect(await ledger.reserve([budget], 0)).toEqual({ status: 'reserved' });
    });
  });
}

behaves('RedisBudgetLedger', () => redisLedger);
behaves('MemoryBudgetLedger', () => new MemoryBudgetLedger());
