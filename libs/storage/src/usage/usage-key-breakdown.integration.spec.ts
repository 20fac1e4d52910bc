import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase, usageRecord } from '../../test/test-databases';
import { BulkInserter } from '../database/bulk-inserter';
import type { NewUsageRecord } from './new-usage-record';
import { type GroupTotals, UsageAnalyticsRepository, type UsageWindow } from './usage-analytics.repository';
import { UsageDailyKeyRollupEntity, UsageKeyRollupEntity } from './usage-rollup.entity';
import { UsageRepository } from './usage.repository';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FIRST = Date.parse('2026-11-26T20:00:00.000Z');
const LAST = Date.parse('2026-12-02T04:00:00.000Z');
const KEYS = ['key-0', 'key-1', 'key-2', 'key-3', 'key-4'];
const PATHS = [null, 'team-a/alice', 'team-a/bob', 'team-b/carol'];

/** A record every 17 minutes from FIRST to LAST, each hour holding some; counters vary with `i`. */
function records(): NewUsageRecord[] {
  const all: NewUsageRecord[] = [];
  for (let i = 0, at = FIRST; at < LAST; i++, at += 17 * MINUTE) {
    all.push(
      usageRecord({
        requestId: `kb-${i}`,
        createdAt: new Date(at),
        model: i % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
        keyId: KEYS[(i + Math.floor(i / 7)) % KEYS.length],
        userPath: PATHS[(i * 7) % PATHS.length],
        status: i % 11 === 0 ? 502 : 200,
        inputTokens: 100 + (i % 97),
        outputTokens: 10 + (i % 31),
        cachedTokens: i % 13,
        reasoningTokens: i % 5,
        latencyMs: 200 + (i % 400),
        cost: i % 4 === 0 ? null : { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0, audioInput: 0, audioOutput: 0, total: 5 + (i % 17), source: 'price_table' },
      }),
    );
  }
  return all;
}

/**
 * The breakdown computed from the raw records: the hours the hourly rollups would sum (from the
 * hour holding `start` to the last hour starting before `end`), busiest first, ties by the group.
 */
function expected(all: readonly NewUsageRecord[], window: UsageWindow, dimension: 'keyId' | 'userPath'): Array<Partial<GroupTotals>> {
  const from = Math.floor(window.start.getTime() / HOUR) * HOUR;
  const groups = new Map<string, Record<string, number>>();
  for (const record of all) {
    const hour = Math.floor(record.createdAt.getTime() / HOUR) * HOUR;
    if (hour < from || hour >= window.end.getTime()) continue;
    const group = record[dimension] ?? '';
    const sums = groups.get(group) ?? { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, costMicros: 0, latencyMsTotal: 0 };
    sums.requests += 1;
    sums.errors += record.status >= 400 ? 1 : 0;
    sums.inputTokens += record.inputTokens;
    sums.outputTokens += record.outputTokens;
    sums.cachedTokens += record.cachedTokens;
    sums.reasoningTokens += record.reasoningTokens;
    sums.costMicros += record.cost?.total ?? 0;
    sums.latencyMsTotal += record.latencyMs;
    groups.set(group, sums);
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => y.requests - x.requests || (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, sums]) => ({ keyId: null, userPath: null, [dimension]: group === '' ? null : group, ...sums }));
}

const window = (start: string, end: string): UsageWindow => ({ start: new Date(start), end: new Date(end) });

const WINDOWS: Array<[string, UsageWindow]> = [
  ['partial days and partial edge hours on both sides', window('2026-11-27T21:30:00.000Z', '2026-11-30T02:15:00.000Z')],
  ['exact midnights', window('2026-11-27T00:00:00.000Z', '2026-11-30T00:00:00.000Z')],
  ['a midnight start and a partial last day', window('2026-11-28T00:00:00.000Z', '2026-12-01T17:00:00.000Z')],
  ['a partial first day and a midnight end', window('2026-11-27T23:59:00.000Z', '2026-11-29T00:00:00.000Z')],
  ['within one day', window('2026-11-29T03:10:00.000Z', '2026-11-29T09:50:00.000Z')],
  ['across one midnight with no whole day', window('2026-11-28T05:00:00.000Z', '2026-11-29T04:20:00.000Z')],
  ['everything, beyond the data on both sides', window('2026-11-20T00:00:00.000Z', '2026-12-10T00:00:00.000Z')],
];

describe.each(['sqlite', 'postgres'] as const)('per-key and per-user-path breakdowns over daily and hourly rollups on %s', (kind) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let analytics: UsageAnalyticsRepository;
  const all = records();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    dataSource = await new DataSource(database.options).initialize();
    await dataSource.runMigrations();
    const inserter = new BulkInserter(dataSource);
    const repository = new UsageRepository(dataSource, inserter);
    // Interleaved batches: each adds onto rollup rows (hours and days) that earlier batches created.
    for (let batch = 0; batch < 3; batch++) await repository.insertMany(all.filter((_, i) => i % 3 === batch));
    await inserter.onApplicationShutdown();
    analytics = new UsageAnalyticsRepository(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.dispose();
  });

  it('holds one daily key rollup row per UTC day × key × user path, summing to the records of that day', async () => {
    const rows = await dataSource.getRepository(UsageDailyKeyRollupEntity).find();
    const byDay = new Map<string, number>();
    for (const row of rows) byDay.set(row.day.toISOString(), (byDay.get(row.day.toISOString()) ?? 0) + Number(row.requests));
    const recordsByDay = new Map<string, number>();
    for (const record of all) {
      const day = `${record.createdAt.toISOString().slice(0, 10)}T00:00:00.000Z`;
      recordsByDay.set(day, (recordsByDay.get(day) ?? 0) + 1);
    }
    expect([...byDay.entries()].sort()).toEqual([...recordsByDay.entries()].sort());
    expect(byDay.size).toBe(7);
    expect(new Set(rows.map((row) => `${row.day.toISOString()} ${row.keyId} ${row.userPath}`)).size).toBe(rows.length);
  });

  it.each(WINDOWS)('sums by key and by user path exactly as the records do: %s', async (_, range) => {
    const keys = await analytics.breakdown(range, 'keyId', 100);
    const paths = await analytics.breakdown(range, 'userPath', 100);
    expect(keys).toEqual(expected(all, range, 'keyId').map((group) => ({ provider: null, model: null, ...group })));
    expect(paths).toEqual(expected(all, range, 'userPath').map((group) => ({ provider: null, model: null, ...group })));
    expect(keys.length).toBeGreaterThan(0);
  });

  it('returns the busiest groups first, up to the limit', async () => {
    const range = WINDOWS[0][1];
    expect(await analytics.breakdown(range, 'keyId', 2)).toEqual(
      expected(all, range, 'keyId')
        .slice(0, 2)
        .map((group) => ({ provider: null, model: null, ...group })),
    );
  });

  // Last: it adds rows no record made. Sums alone cannot tell which grain answered; markers can.
  it('reads the whole UTC days from the daily rollups and only the edge hours from the hourly ones', async () => {
    const range = WINDOWS[0][1]; // 27 Nov 21:30 → 30 Nov 02:15: whole days 28 and 29, edges 27 Nov 21:00–24:00 and 30 Nov 00:00–03:00
    const before = await analytics.breakdown(range, 'keyId', 100);
    const zero = { userPath: '', errors: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, costMicros: 0, latencyMsTotal: 0 };
    await dataSource.getRepository(UsageDailyKeyRollupEntity).insert({ ...zero, day: new Date('2026-11-28T00:00:00.000Z'), keyId: 'marker-whole-day', requests: 1000 });
    const hourly = dataSource.getRepository(UsageKeyRollupEntity);
    await hourly.insert({ ...zero, hour: new Date('2026-11-30T01:00:00.000Z'), keyId: 'marker-edge-hour', requests: 100 });
    // An hour inside a whole day: the daily grain already counts it, so the hourly one must not be read.
    await hourly.insert({ ...zero, hour: new Date('2026-11-28T12:00:00.000Z'), keyId: 'marker-inner-hour', requests: 10 });

    const after = await analytics.breakdown(range, 'keyId', 100);
    const isMarker = (group: GroupTotals) => group.keyId?.startsWith('marker-') === true;
    expect(after.filter(isMarker).map((group) => [group.keyId, group.requests])).toEqual([
      ['marker-whole-day', 1000],
      ['marker-edge-hour', 100],
    ]);
    expect(after.filter((group) => !isMarker(group))).toEqual(before);
  });
});
