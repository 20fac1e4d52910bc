import { usageRecord } from '../../test/test-databases';
import { byKey, byModel, rollUp } from './usage-rollup';
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
});
