import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { type AppConfig, buildConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../database/data-source-options';
import { adminQuery, TEST_DATABASE_URL, usageRecord } from '../../test/test-databases';
import { FINAL_FLUSH_DEADLINE_MS, UsageWriter } from './usage-writer';
import { UsageRepository } from './usage.repository';
import { BulkInserter } from '../database/bulk-inserter';

const OUTAGE_MS = 10_000;

function countingMetrics() {
  return {
    written: 0,
    dropped: 0,
    countUsageWritten(count: number): void {
      this.written += count;
    },
    countUsageDropped(_reason: string, count = 1): void {
      this.dropped += count;
    },
  };
}

// A private database, so an outage can be staged without touching anyone else's (toolchain notes).
describe('usage writes across a PostgreSQL outage', () => {
  const name = `sy_outage_${randomBytes(5).toString('hex')}`;
  let config: AppConfig;
  let dataSource: DataSource;
  let repository: UsageRepository;
  let failedInserts: number;

  const setAvailable = async (available: boolean) => {
    await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${available}`);
    if (!available) await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
  };

  const storedRows = async (): Promise<number> => {
    const probe = new DataSource({ type: 'postgres', url: config.databaseUrl });
    await probe.initialize();
    try {
      const [{ count }] = await probe.query('SELECT count(*)::int AS count FROM usage_records');
      return count as number;
    } finally {
      await probe.destroy();
    }
  };

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    const base = buildConfig({ DATABASE_URL: url.toString(), RUN_MIGRATIONS: 'false' });
    config = { ...base, usage: { ...base.usage, flushIntervalMs: 50, flushBatchSize: 100, bufferLimit: 50_000 } };
    dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
    await dataSource.runMigrations();
    repository = new UsageRepository(dataSource, new BulkInserter(dataSource));
    const insertMany = repository.insertMany.bind(repository);
    failedInserts = 0;
    jest.spyOn(repository, 'insertMany').mockImplementation((records) =>
      insertMany(records).catch((error: unknown) => {
        failedInserts += 1;
        throw error;
      }),
    );
  });

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await dataSource.query('DELETE FROM usage_records');
    failedInserts = 0;
  });

  afterEach(async () => {
    await setAvailable(true);
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('keeps every record written under a steady trickle while the database is away for ~10 s', async () => {
    const counters = countingMetrics();
    const writer = new UsageWriter(repository, counters, config);
    let writes = 0;
    const trickle = setInterval(() => writer.record(usageRecord({ requestId: `trickle-${writes++}` })), 20);
    try {
      await sleep(1_000);
      await setAvailable(false);
      await sleep(OUTAGE_MS);
      await setAvailable(true);
      await sleep(1_000);
    } finally {
      clearInterval(trickle);
    }
    await writer.flush();

    expect(failedInserts).toBeGreaterThan(0); // the outage really happened
    expect(counters.dropped).toBe(0);
    expect(counters.written).toBe(writes);
    expect(await storedRows()).toBe(writes);
    await writer.close();
  }, 60_000);

  it('bounds the final flush when the database stays away, and says how many records were lost', async () => {
    const logError = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const counters = countingMetrics();
    const writer = new UsageWriter(repository, counters, config);
    await setAvailable(false);
    for (let i = 0; i < 10; i++) writer.record(usageRecord({ requestId: `lost-${i}` }));
    const started = Date.now();
    await writer.close();

    expect(Date.now() - started).toBeLessThan(FINAL_FLUSH_DEADLINE_MS + 5_000);
    expect(counters.dropped).toBe(10);
    expect(logError).toHaveBeenCalledWith(expect.stringContaining('Gave up on 10 usage records at shutdown'));
  }, 60_000);
});
