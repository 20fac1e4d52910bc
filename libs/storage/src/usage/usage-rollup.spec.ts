import { usageRecord } from '../../test/test-databases';
import { byDayKey, byKey, byModel, rollUp } from './usage-rollup';
import { toUsageRow } from './usage-row';

describe('rollUp', () => {
  it('folds a batch into one group per hour × provider × model × key × user path, then per model and per key', () => {
    const cost = { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0, audioInput: 0, audioOutput: 0, total: 5, source: 'price_table' as const };
    const records = [
      usageRecord({ createdAt: new Date('2026-11-30T10:05:00Z'), keyId: 'a', userPath: null, inputTokens: 1, cost }),
      usageRecord({ createdAt: new Date('2026-11-30T10:55:00Z'), keyId: 'a', userPath: null, inputTokens: 2, status: 500, cost: null }),
      usageRecord({ createdAt: new Date('2026-11-30T10:30:00Z'), keyId: 'b', userPath: 'p', inputTokens: 4, cost: null }),
      usageRecord({ createdAt: new Date('2026-11-30T11:00:00Z'), keyId: 'a', userPath: null, inputTokens: 8, cost: null }),
    ];
    const groups = rollUp(records.map(toUsageRow), records);
    expect(groups.map((group) => [group.hour.toISOString(), group.keyId, group.userPath, group.requests, group.errors, group.inputTokens, group.costMicros])).toEqual([
      ['2026-11-30T10:00:00.000Z', 'a', '', 2, 1, 3, 5],
      ['2026-11-30T10:00:00.000Z', 'b', 'p', 1, 0, 4, 0],
      ['2026-11-30T11:00:00.000Z', 'a', '', 1, 0, 8, 0],
    ]);
    expect(byModel(groups).map((group) => [group.hour.toISOString(), group.requests, group.inputTokens])).toEqual([
      ['2026-11-30T10:00:00.000Z', 3, 7],
      ['2026-11-30T11:00:00.000Z', 1, 8],
    ]);
    expect(byModel(groups)[0]).not.toHaveProperty('keyId');
    const sameKeyOtherModel = usageRecord({ createdAt: new Date('2026-11-30T10:10:00Z'), keyId: 'a', userPath: null, model: 'other-model', inputTokens: 16, cost: null });
    const withOther = rollUp([...records, sameKeyOtherModel].map(toUsageRow), [...records, sameKeyOtherModel]);
    expect(byKey(withOther).map((group) => [group.hour.toISOString(), group.keyId, group.userPath, group.requests, group.errors, group.inputTokens, group.costMicros])).toEqual([
      ['2026-11-30T10:00:00.000Z', 'a', '', 3, 1, 19, 5],
      ['2026-11-30T10:00:00.000Z', 'b', 'p', 1, 0, 4, 0],
      ['2026-11-30T11:00:00.000Z', 'a', '', 1, 0, 8, 0],
    ]);
    expect(byKey(withOther)[0]).not.toHaveProperty('model');
  });

  it('folds the groups by UTC day × key × user path, across models and hours, cutting at UTC midnight', () => {
    const cost = (total: number) => ({ input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0, audioInput: 0, audioOutput: 0, total, source: 'price_table' as const });
    const records = [
      usageRecord({ createdAt: new Date('2026-11-30T00:00:00.000Z'), keyId: 'b', userPath: 'p', model: 'm1', inputTokens: 1, latencyMs: 10, cost: cost(1) }),
      usageRecord({ createdAt: new Date('2026-11-30T13:30:00.000Z'), keyId: 'b', userPath: 'p', model: 'm2', inputTokens: 2, latencyMs: 20, status: 502, cost: cost(2) }),
      usageRecord({ createdAt: new Date('2026-11-30T23:59:59.999Z'), keyId: 'b', userPath: 'p', model: 'm1', inputTokens: 4, latencyMs: 40, cost: null }),
      usageRecord({ createdAt: new Date('2026-12-01T00:00:00.000Z'), keyId: 'b', userPath: 'p', model: 'm1', inputTokens: 8, latencyMs: 80, cost: cost(8) }),
      usageRecord({ createdAt: new Date('2026-11-30T08:00:00.000Z'), keyId: 'a', userPath: null, model: 'm1', inputTokens: 16, latencyMs: 160, cost: null }),
      usageRecord({ createdAt: new Date('2026-11-30T09:00:00.000Z'), keyId: 'b', userPath: 'q', model: 'm1', inputTokens: 32, latencyMs: 320, cost: null }),
    ];
    const days = byDayKey(rollUp(records.map(toUsageRow), records));
    expect(days.map((day) => [day.day.toISOString(), day.keyId, day.userPath, day.requests, day.errors, day.inputTokens, day.costMicros, day.latencyMsTotal])).toEqual([
      ['2026-11-30T00:00:00.000Z', 'a', '', 1, 0, 16, 0, 160],
      ['2026-11-30T00:00:00.000Z', 'b', 'p', 3, 1, 7, 3, 70],
      ['2026-11-30T00:00:00.000Z', 'b', 'q', 1, 0, 32, 0, 320],
      ['2026-12-01T00:00:00.000Z', 'b', 'p', 1, 0, 8, 8, 80],
    ]);
    expect(Object.keys(days[0]).sort()).toEqual([
      'cachedTokens',
      'costMicros',
      'day',
      'errors',
      'inputTokens',
      'keyId',
      'latencyMsTotal',
      'outputTokens',
      'reasoningTokens',
      'requests',
      'userPath',
    ]);
  });
});
