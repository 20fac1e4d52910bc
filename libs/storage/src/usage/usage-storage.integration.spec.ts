import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { createTestDatabase, storedRow, type TestDatabase, usageRecord } from '../../test/test-databases';
import { UsageRecordEntity } from './usage-record.entity';
import { UsageWriter } from './usage-writer';
import { UsageRepository } from './usage.repository';
import { BulkInserter } from '../database/bulk-inserter';

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

describe.each(['sqlite', 'postgres'] as const)('usage storage on %s', (kind) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: UsageRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dataSource = new DataSource(db.options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    repository = new UsageRepository(dataSource, new BulkInserter(dataSource));
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.dispose();
  });

  beforeEach(async () => {
    await dataSource.getRepository(UsageRecordEntity).clear();
  });

  afterEach(() => jest.restoreAllMocks());

  it('migrates to exactly the schema the entities describe', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  (kind === 'sqlite' ? it : it.skip)('uses WAL so readers do not block the writer', async () => {
    expect(await dataSource.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('writes records through UsageWriter and reads them back unchanged', async () => {
    const config = { ...db.config, usage: { ...db.config.usage, flushIntervalMs: 60_000 } } as AppConfig;
    const counters = countingMetrics();
    const writer = new UsageWriter(repository, counters, config);
    const full = usageRecord({ requestId: 'req-full', cacheHit: true, savedCostMicros: 38 });
    const sparse = usageRecord({
      requestId: 'req-sparse',
      createdAt: new Date('2026-01-31T23:59:59.001Z'),
      stream: false,
      status: 502,
      errorType: 'upstream_error',
      provider: null,
      model: null,
      timeToFirstTokenMs: null,
      keyId: null,
      userPath: null,
      cost: null,
      batchId: null,
      customId: null,
    });
    writer.record(full);
    writer.record(sparse);
    await writer.close();

    expect(counters).toMatchObject({ written: 2, dropped: 0 });
    const readFull = await repository.findByRequestId('req-full');
    expect(readFull).toEqual({ ...storedRow(full), id: expect.any(String) });
    expect(readFull).toMatchObject({ cacheWriteTokens: 5, costMicros: 38, costCachedInputMicros: 8, costSource: 'price_table' });
    // A time-ordered UUIDv7 (its index inserts append instead of landing on random pages).
    expect(readFull!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await repository.findByRequestId('req-sparse')).toEqual({ ...storedRow(sparse), id: expect.any(String) });
    expect(await repository.findByRequestId('req-missing')).toBeNull();
  });

  it('sums the response cache overview per model over a window', async () => {
    const at = new Date('2026-05-01T12:00:00Z');
    await repository.insertMany([
      usageRecord({ requestId: 'o-1', createdAt: at, inputTokens: 10, outputTokens: 5, cacheHit: false }),
      usageRecord({ requestId: 'o-2', createdAt: at, inputTokens: 10, outputTokens: 5, cacheHit: true, savedCostMicros: 40 }),
      usageRecord({ requestId: 'o-3', createdAt: at, inputTokens: 10, outputTokens: 5, cacheHit: true, savedCostMicros: 2 }),
      usageRecord({ requestId: 'o-old', createdAt: new Date('2026-04-01T00:00:00Z'), cacheHit: true, savedCostMicros: 1000 }),
    ]);
    const lines = await repository.cacheOverview(new Date('2026-05-01T00:00:00Z'), new Date('2026-05-02T00:00:00Z'));
    expect(lines).toEqual([{ provider: 'openai', model: 'gpt-4o-mini', requests: 3, hits: 2, savedTokens: 30, savedCostMicros: 42 }]);
  });

  it('keeps every good row of a batch with odd client strings and stores the odd ones sanitised', async () => {
    const config = { ...db.config, usage: { ...db.config.usage, flushIntervalMs: 60_000, flushBatchSize: 600 } } as AppConfig;
    const counters = countingMetrics();
    const writer = new UsageWriter(repository, counters, config);
    const good = Array.from({ length: 500 }, (_, i) => usageRecord({ requestId: `good-${i}` }));
    const odd = [
      usageRecord({ requestId: 'odd-nul', model: 'gpt\u0000-4o', userPath: '\u0000team', keyId: 'key\u0000' }),
      usageRecord({ requestId: 'odd-surrogate', model: 'gpt-\uD800x', provider: '\uDC00openai', errorType: 'x\uDBFF' }),
      usageRecord({ requestId: 'odd-long-' + 'r'.repeat(300), model: 'm'.repeat(1_000), userPath: '😀'.repeat(300), endpoint: '/p/' + 'e'.repeat(200) }),
    ];
    // A row no sanitising can save (NOT NULL column): only it may be lost.
    const refused = usageRecord({ requestId: 'odd-refused', endpoint: null as unknown as string });
    const batch = [...good.slice(0, 100), odd[0], ...good.slice(100, 250), refused, odd[1], ...good.slice(250, 499), odd[2], good[499]];
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    batch.forEach((rec) => writer.record(rec));
    await writer.close();

    expect(counters).toMatchObject({ written: 503, dropped: 1 });
    expect(await repository.count()).toBe(503);
    for (const rec of good) expect(await repository.findByRequestId(rec.requestId)).toEqual({ ...storedRow(rec), id: expect.any(String) });
    expect(await repository.findByRequestId('odd-nul')).toMatchObject({ model: 'gpt-4o', userPath: 'team', keyId: 'key' });
    expect(await repository.findByRequestId('odd-surrogate')).toMatchObject({ model: 'gpt-\uFFFDx', provider: '\uFFFDopenai', errorType: 'x\uFFFD' });
    const long = await repository.findByRequestId('odd-long-' + 'r'.repeat(119));
    expect(long).toMatchObject({ model: 'm'.repeat(255), userPath: '😀'.repeat(255), endpoint: '/p/' + 'e'.repeat(125) });
    expect(await repository.findByRequestId('odd-refused')).toBeNull();
  });

  it('stores created_at as the instant it is (UTC text on SQLite, timestamptz on PostgreSQL)', async () => {
    await repository.insertMany([usageRecord({ requestId: 'req-utc', createdAt: new Date('2026-07-04T23:30:15.123Z') })]);
    // On PostgreSQL read the instant's UTC wall clock, whatever the session's TimeZone.
    const stored = kind === 'postgres' ? "CAST(u.created_at AT TIME ZONE 'UTC' AS TEXT)" : 'CAST(u.created_at AS TEXT)';
    const raw = await dataSource
      .getRepository(UsageRecordEntity)
      .createQueryBuilder('u')
      .select(stored, 'stored')
      .where('u.requestId = :id', { id: 'req-utc' })
      .getRawOne<{ stored: string }>();
    expect(raw?.stored).toBe('2026-07-04 23:30:15.123');
  });

  it('inserts more rows than one statement can bind, atomically', async () => {
    const records = Array.from({ length: 4_500 }, (_, i) => usageRecord({ requestId: `bulk-${i}` }));
    await repository.insertMany(records);
    expect(await repository.count()).toBe(4_500);

    // The last row violates NOT NULL, in the last chunk: the chunks before it must roll back.
    const again = records.slice(0, 4_000).map((r) => ({ ...r, requestId: `again-${r.requestId}` }));
    const poisoned = [...again, usageRecord({ endpoint: null as unknown as string })];
    await expect(repository.insertMany(poisoned)).rejects.toThrow();
    expect(await repository.count()).toBe(4_500);
  });

  it('deletes only records older than the cutoff, in batches, and is idempotent', async () => {
    const day = 86_400_000;
    const now = Date.now();
    const old = Array.from({ length: 12_001 }, (_, i) => usageRecord({ requestId: `old-${i}`, createdAt: new Date(now - 40 * day - i) }));
    const recent = [usageRecord({ requestId: 'recent', createdAt: new Date(now - 29 * day) })];
    await repository.insertMany([...old, ...recent]);

    const cutoff = new Date(now - 30 * day);
    expect(await repository.deleteOlderThan(cutoff)).toBe(12_001);
    expect(await repository.deleteOlderThan(cutoff)).toBe(0);
    expect(await repository.count()).toBe(1);
    expect(await repository.findByRequestId('recent')).not.toBeNull();
  });

  it('reverts the migration, dropping the table and its indexes', async () => {
    const queryRunner = dataSource.createQueryRunner();
    try {
      // Later migrations (other tables) are reverted first, one at a time, down to this one.
      for (let step = 0; step < 50 && (await queryRunner.hasTable('usage_records')); step++) await dataSource.undoLastMigration();
      expect(await queryRunner.hasTable('usage_records')).toBe(false);
      // Back at an empty schema: the entities would now need the whole table created.
      const pending = (await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query).filter((q) => q.includes('usage_records'));
      expect(pending.some((q) => q.startsWith('CREATE TABLE'))).toBe(true);
      // Four from the first migration, four from the console's (key, user path, status, keyset order), one for batch items,
      // four partial ones over failed rows (the error log pages).
      expect(pending.filter((q) => q.startsWith('CREATE INDEX'))).toHaveLength(13);
    } finally {
      await queryRunner.release();
    }
  });
});
