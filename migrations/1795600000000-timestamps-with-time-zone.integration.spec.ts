import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildConfig } from '@app/config';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../libs/storage/src/database/data-source-options';
import { adminQuery, TEST_DATABASE_URL } from '../libs/storage/test/test-databases';
import type { RoundTripJob, RoundTripResult } from '../libs/storage/test/instant-round-trip';
import { MIGRATIONS } from '.';

const CHILD = resolve(__dirname, '../dist/libs/storage/test/instant-round-trip.js');
const THIS = 'TimestampsWithTimeZone1795600000000';
const INSTANT_COLUMNS = ['usage_records.created_at', 'conversations.created_at', 'responses.created_at', 'responses.updated_at'];
// This migration and the ones before it: later migrations (with instant columns of their own) are not what this suite proves.
const UP_TO_THIS = MIGRATIONS.slice(0, MIGRATIONS.findIndex((migration) => migration.name === THIS) + 1);
const TABLES = ['usage_records', 'conversations', 'responses'];
const LEGACY = '2026-03-01T12:34:56.789Z';
const LEGACY_UPDATED = '2026-03-01T12:35:00.500Z';
const JULY = '2026-07-04T23:30:15.123Z';

/** Runs the round-trip child with the process time zone `tz`. */
async function roundTrip(tz: string, job: Omit<RoundTripJob, 'databaseUrl' | 'schema'>, schema: string): Promise<RoundTripResult> {
  const full: RoundTripJob = { ...job, databaseUrl: TEST_DATABASE_URL, schema };
  const { stdout } = await promisify(execFile)(process.execPath, [CHILD, JSON.stringify(full)], { env: { PATH: process.env.PATH, TZ: tz }, timeout: 120_000 });
  return JSON.parse(stdout) as RoundTripResult;
}

describe('TimestampsWithTimeZone migration on PostgreSQL', () => {
  const schema = `tz_test_${randomBytes(6).toString('hex')}`;
  let dataSource: DataSource;
  let options: DataSourceOptions;

  const path = (table: string) => `"${schema}"."${table}"`;
  async function columnTypes(): Promise<string[]> {
    const rows: Array<{ column: string; type: string }> = await dataSource.query(
      `SELECT table_name || '.' || column_name AS column, data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND data_type LIKE 'timestamp%' AND table_name = ANY($2) ORDER BY 1`,
      // Only the tables this migration converts: later migrations create instant columns of their own.
      [schema, [...new Set(INSTANT_COLUMNS.map((column) => column.split('.')[0]))]],
    );
    expect(rows.map((row) => row.column)).toEqual([...INSTANT_COLUMNS].sort());
    return [...new Set(rows.map((row) => row.type))];
  }

  beforeAll(async () => {
    await adminQuery(`CREATE SCHEMA "${schema}"`);
    const base = buildDataSourceOptions(buildConfig({ DATABASE_URL: TEST_DATABASE_URL, RUN_MIGRATIONS: 'false' }));
    // A session time zone other than UTC: the conversion must not depend on it.
    options = { ...base, schema, migrations: UP_TO_THIS, extra: { options: '-c TimeZone=America/Los_Angeles' } } as DataSourceOptions;
    const before = new DataSource({ ...options, migrations: UP_TO_THIS.filter((migration) => migration.name !== THIS) });
    await before.initialize();
    try {
      await before.runMigrations();
      // Rows as the former UtcPgClient wrote them: the UTC wall clock in a `timestamp` column.
      await before.query(
        `INSERT INTO ${path('usage_records')} (request_id, created_at, endpoint, status, latency_ms) VALUES ('legacy', '2026-03-01 12:34:56.789', '/v1/chat/completions', 200, 5)`,
      );
      await before.query(`INSERT INTO ${path('conversations')} (id, created_at, metadata) VALUES ('conv_legacy', '2026-03-01 12:34:56.789', '{}')`);
      await before.query(
        `INSERT INTO ${path('responses')} (id, created_at, updated_at, status, provider, model, request, body) VALUES ('resp_legacy', '2026-03-01 12:34:56.789', '2026-03-01 12:35:00.5', 'completed', 'openai', 'gpt-4o', '{}', '{}')`,
      );
    } finally {
      await before.destroy();
    }
    dataSource = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it('converts every instant column to timestamptz, matching the entities', async () => {
    expect(await columnTypes()).toEqual(['timestamp without time zone']);
    const applied = await dataSource.runMigrations();
    expect(applied.map((migration) => migration.name)).toEqual([THIS]);
    expect(await columnTypes()).toEqual(['timestamp with time zone']);
    const pending = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query);
    expect(pending.filter((query) => TABLES.some((table) => query.includes(`"${table}"`)))).toEqual([]);
  });

  it('keeps the instants of rows written before it, and round-trips Dates in any process time zone', async () => {
    expect(existsSync(CHILD)).toBe(true); // npm test builds dist/ before running the suites
    const legacy = { usage: ['legacy'], responses: ['resp_legacy'], conversations: ['conv_legacy'] };
    const newYork = await roundTrip(
      'America/New_York',
      { write: { usage: { ny: JULY }, responses: { resp_ny: JULY } }, read: { ...legacy, usage: ['legacy', 'ny'], responses: ['resp_legacy', 'resp_ny'] } },
      schema,
    );
    const tokyo = await roundTrip(
      'Asia/Tokyo',
      {
        write: { usage: { tokyo: JULY }, responses: { resp_tokyo: JULY } },
        read: { ...legacy, usage: ['legacy', 'ny', 'tokyo'], responses: ['resp_legacy', 'resp_ny', 'resp_tokyo'] },
      },
      schema,
    );

    expect([newYork.offsetMinutes, tokyo.offsetMinutes]).toEqual([300, -540]);
    const july = { createdAt: JULY, updatedAt: JULY };
    const old = { createdAt: LEGACY, updatedAt: LEGACY_UPDATED };
    expect(newYork).toMatchObject({ usage: { legacy: LEGACY, ny: JULY }, responses: { resp_legacy: old, resp_ny: july }, conversations: { conv_legacy: LEGACY } });
    // Tokyo reads what New York wrote as the same instant, and its own too.
    expect(tokyo).toMatchObject({
      usage: { legacy: LEGACY, ny: JULY, tokyo: JULY },
      responses: { resp_legacy: old, resp_ny: july, resp_tokyo: july },
      conversations: { conv_legacy: LEGACY },
    });
    // And the database holds those instants, not some zone's wall clock.
    const rows: Array<{ request_id: string }> = await dataSource.query(`SELECT request_id FROM ${path('usage_records')} WHERE created_at = $1::timestamptz ORDER BY request_id`, [
      JULY,
    ]);
    expect(rows.map((row) => row.request_id)).toEqual(['ny', 'tokyo']);
  });

  it('reverts to timestamp columns holding the UTC wall clock, and applies again', async () => {
    await dataSource.undoLastMigration();
    expect(await columnTypes()).toEqual(['timestamp without time zone']);
    const stored = async () =>
      (
        await dataSource.query<Array<{ request_id: string; at: string }>>(`SELECT request_id, CAST(created_at AS TEXT) AS at FROM ${path('usage_records')} ORDER BY request_id`)
      ).map((row) => `${row.request_id} ${row.at}`);
    expect(await stored()).toEqual(['legacy 2026-03-01 12:34:56.789', 'ny 2026-07-04 23:30:15.123', 'tokyo 2026-07-04 23:30:15.123']);
    const responses = await dataSource.query(`SELECT CAST(updated_at AS TEXT) AS at FROM ${path('responses')} WHERE id = 'resp_legacy'`);
    expect(responses).toEqual([{ at: '2026-03-01 12:35:00.5' }]);

    await dataSource.runMigrations();
    expect(await columnTypes()).toEqual(['timestamp with time zone']);
    const rows: Array<{ request_id: string }> = await dataSource.query(`SELECT request_id FROM ${path('usage_records')} WHERE created_at = $1::timestamptz`, [LEGACY]);
    expect(rows).toEqual([{ request_id: 'legacy' }]);
  });
});
