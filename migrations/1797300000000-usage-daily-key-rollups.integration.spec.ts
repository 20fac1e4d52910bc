import { DataSource, type DataSourceOptions } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../libs/storage/test/test-databases';
import { UsageDailyKeyRollupEntity, UsageKeyRollupEntity } from '../libs/storage/src/usage/usage-rollup.entity';
import { MIGRATIONS } from '.';

const THIS = 'UsageDailyKeyRollups1797300000000';
const BEFORE = MIGRATIONS.filter((migration) => migration.name !== THIS);

/** An hourly key rollup row; the counters derive from `n` so that every sum is distinct. */
function hourly(hour: string, keyId: string, userPath: string, n: number): UsageKeyRollupEntity {
  return {
    hour: new Date(hour),
    keyId,
    userPath,
    requests: n,
    errors: n % 2,
    inputTokens: 10 * n,
    outputTokens: 100 * n,
    cachedTokens: 3 * n,
    reasoningTokens: 7 * n,
    costMicros: 1_000 * n,
    latencyMsTotal: 50 * n,
  };
}

// 07:00Z and 08:00Z are 23:00 and 00:00 in Los Angeles (PST): a session-time-zone day would cut between them.
const HOURLY = [
  hourly('2026-11-29T23:00:00.000Z', 'key-a', 'team/x', 1),
  hourly('2026-11-30T00:00:00.000Z', 'key-a', 'team/x', 2),
  hourly('2026-11-30T07:00:00.000Z', 'key-a', 'team/x', 4),
  hourly('2026-11-30T08:00:00.000Z', 'key-a', 'team/x', 8),
  hourly('2026-11-30T23:00:00.000Z', 'key-a', 'team/x', 16),
  hourly('2026-12-01T00:00:00.000Z', 'key-a', 'team/x', 32),
  hourly('2026-11-30T08:00:00.000Z', 'key-a', '', 64),
  hourly('2026-11-30T12:00:00.000Z', 'key-b', 'team/x', 128),
];

describe.each(['sqlite', 'postgres'] as const)('UsageDailyKeyRollups migration on %s', (kind) => {
  let database: TestDatabase;
  let options: DataSourceOptions;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    // A session time zone other than UTC: the UTC day must not depend on it.
    options = kind === 'postgres' ? { ...database.options, extra: { options: '-c TimeZone=America/Los_Angeles' } } : database.options;
    const before = await new DataSource({ ...options, migrations: BEFORE }).initialize();
    try {
      await before.runMigrations();
      // Written through the entity, so the hours are stored exactly as the gateway stores them.
      // (Copies: insert() writes the stored values back onto the objects it is given, as strings on pg.)
      await before.getRepository(UsageKeyRollupEntity).insert(HOURLY.map((row) => ({ ...row })));
    } finally {
      await before.destroy();
    }
    dataSource = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.dispose();
  });

  // bigint counters come back from pg as strings.
  const daily = async () =>
    (await dataSource.getRepository(UsageDailyKeyRollupEntity).find({ order: { day: 'ASC', keyId: 'ASC', userPath: 'ASC' } })).map(({ day, keyId, userPath, ...counters }) => ({
      day: day.toISOString(),
      keyId,
      userPath,
      ...Object.fromEntries(Object.entries(counters).map(([name, value]) => [name, Number(value)])),
    }));

  const summed = (day: string, keyId: string, userPath: string, rows: UsageKeyRollupEntity[]) => {
    const sums = { day, keyId, userPath, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, costMicros: 0, latencyMsTotal: 0 };
    for (const row of rows)
      for (const counter of ['requests', 'errors', 'inputTokens', 'outputTokens', 'cachedTokens', 'reasoningTokens', 'costMicros', 'latencyMsTotal'] as const)
        sums[counter] += row[counter];
    return sums;
  };

  it('backfills the UTC days of the hourly key rollups, matching the entity', async () => {
    if (kind === 'postgres') expect(await dataSource.query('SHOW TIME ZONE')).toEqual([{ TimeZone: 'America/Los_Angeles' }]);
    expect((await dataSource.runMigrations()).map((migration) => migration.name)).toEqual([THIS]);
    expect(await daily()).toEqual([
      summed('2026-11-29T00:00:00.000Z', 'key-a', 'team/x', [HOURLY[0]]),
      summed('2026-11-30T00:00:00.000Z', 'key-a', '', [HOURLY[6]]),
      summed('2026-11-30T00:00:00.000Z', 'key-a', 'team/x', HOURLY.slice(1, 5)),
      summed('2026-11-30T00:00:00.000Z', 'key-b', 'team/x', [HOURLY[7]]),
      summed('2026-12-01T00:00:00.000Z', 'key-a', 'team/x', [HOURLY[5]]),
    ]);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query)).toEqual([]);
  });

  it('drops the daily table on revert, keeping the hourly rows, and applies again', async () => {
    await dataSource.undoLastMigration();
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.hasTable('usage_daily_key_rollups')).toBe(false);
      expect(await runner.hasTable('usage_hourly_key_rollups')).toBe(true);
    } finally {
      await runner.release();
    }
    expect(await dataSource.getRepository(UsageKeyRollupEntity).count()).toBe(HOURLY.length);
    await dataSource.runMigrations();
    expect(await daily()).toHaveLength(5);
  });
});
