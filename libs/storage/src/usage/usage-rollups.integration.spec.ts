import { DataSource } from 'typeorm';
import { JobName } from '@app/queue';
import { createTestDatabase, type TestDatabase, usageRecord } from '../../test/test-databases';
import { AuditRepository } from '../audit/audit.repository';
import type { NewAuditEntry } from '../audit/new-audit-entry';
import { BulkInserter } from '../database/bulk-inserter';
import { UsageAnalyticsRepository } from './usage-analytics.repository';
import { UsageRecordEntity } from './usage-record.entity';
import { UsageRetentionProcessor } from './usage-retention.processor';
import { UsageRepository } from './usage.repository';

const HOUR = 3_600_000;
const BASE = Date.parse('2026-11-30T10:00:00.000Z');

function auditEntry(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
  return {
    requestId: 'req',
    createdAt: new Date(BASE),
    keyId: 'master',
    keyName: null,
    userPath: null,
    method: 'POST',
    route: '/v1/chat/completions',
    path: '/v1/chat/completions',
    requestedModel: 'gpt-4o',
    provider: 'openai',
    model: 'gpt-4o',
    attempts: ['openai/gpt-4o'],
    status: 200,
    errorType: null,
    errorMessage: null,
    stream: false,
    latencyMs: 12,
    timeToFirstByteMs: null,
    clientIp: '127.0.0.1',
    previousResponseId: null,
    conversationId: null,
    requestHeaders: null,
    requestBody: null,
    responseBody: null,
    bodyTruncated: false,
    ...overrides,
  };
}

describe.each(['sqlite', 'postgres'] as const)('usage rollups and audit storage on %s', (kind) => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const extra: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    dataSource = await new DataSource(database.options).initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    for (const source of [...extra, dataSource]) if (source?.isInitialized) await source.destroy();
    await database?.dispose();
  });

  const rows = () => dataSource.getRepository(UsageRecordEntity).createQueryBuilder('u');

  /** A repository on its own connection (its own DataSource, like another replica). */
  async function replica(): Promise<{ repository: UsageRepository; inserter: BulkInserter }> {
    const source = await new DataSource(database.options).initialize();
    extra.push(source);
    const inserter = new BulkInserter(source);
    return { repository: new UsageRepository(source, inserter), inserter };
  }

  it('keeps the rollups equal to the rows under concurrent writers sharing rollup rows', async () => {
    const writers = await Promise.all([replica(), replica(), replica(), replica()]);
    const record = (writer: number, batch: number, i: number) =>
      usageRecord({
        requestId: `c-${writer}-${batch}-${i}`,
        createdAt: new Date(BASE + (i % 3) * HOUR + i),
        provider: i % 2 === 0 ? 'openai' : 'anthropic',
        model: i % 2 === 0 ? 'gpt-4o' : 'claude',
        keyId: `key-${i % 4}`,
        userPath: i % 5 === 0 ? null : 'team/a',
        status: i % 7 === 0 ? 500 : 200,
        inputTokens: 10,
        outputTokens: 3,
        cost: { input: 1, cachedInput: 0, cacheWrite: 0, output: 1, reasoning: 0, audioInput: 0, audioOutput: 0, total: 2, source: 'price_table' },
      });
    await Promise.all(
      writers.map(async ({ repository }, writer) => {
        for (let batch = 0; batch < 10; batch++) await repository.insertMany(Array.from({ length: 100 }, (_, i) => record(writer, batch, i)));
      }),
    );
    await Promise.all(writers.map(({ inserter }) => inserter.onApplicationShutdown()));

    const analytics = new UsageAnalyticsRepository(dataSource);
    const window = { start: new Date(BASE - HOUR), end: new Date(BASE + 10 * HOUR) };
    const totals = await analytics.totals(window);
    expect(totals).toMatchObject({ requests: 4_000, inputTokens: 40_000, outputTokens: 12_000, costMicros: 8_000 });
    expect(totals.errors).toBe(await rows().where("u.status >= 400 AND u.request_id LIKE 'c-%'").getCount());
    expect((await analytics.hourly(window)).map((hour) => [hour.hour.toISOString(), hour.requests])).toEqual([
      ['2026-11-30T10:00:00.000Z', 1_360],
      ['2026-11-30T11:00:00.000Z', 1_320],
      ['2026-11-30T12:00:00.000Z', 1_320],
    ]);
    const models = await analytics.breakdown(window, 'model', 10);
    expect(models.map((group) => [group.provider, group.model, group.requests]).sort()).toEqual([
      ['anthropic', 'claude', 2_000],
      ['openai', 'gpt-4o', 2_000],
    ]);
    const keys = await analytics.breakdown(window, 'keyId', 10);
    expect(keys.map((group) => [group.keyId, group.requests, group.costMicros]).sort()).toEqual([
      ['key-0', 1_000, 2_000],
      ['key-1', 1_000, 2_000],
      ['key-2', 1_000, 2_000],
      ['key-3', 1_000, 2_000],
    ]);
    const paths = await analytics.breakdown(window, 'userPath', 10);
    expect(paths).toEqual(expect.arrayContaining([expect.objectContaining({ userPath: null, requests: 800 }), expect.objectContaining({ userPath: 'team/a', requests: 3_200 })]));
  });

  it('pages the usage log by keyset with filters', async () => {
    const analytics = new UsageAnalyticsRepository(dataSource);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await analytics.log({ limit: 150, cursor, keyId: 'key-1', status: 'error' });
      seen.push(...page.data.map((row) => row.requestId));
      expect(page.data.every((row) => row.keyId === 'key-1' && row.status >= 400)).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(await rows().where("u.key_id = 'key-1' AND u.status >= 400").getCount());
  });

  it('stores audit entries, pages them by filter, and deletes them by retention', async () => {
    const inserter = new BulkInserter(dataSource);
    const audit = new AuditRepository(dataSource, inserter);
    const now = Date.now();
    await audit.insertMany([
      auditEntry({ requestId: 'old', createdAt: new Date(now - 40 * 86_400_000) }),
      auditEntry({ requestId: 'new-ok', createdAt: new Date(now - 1_000), requestBody: 'body\u0000with nul', requestHeaders: { 'x-request-id': 'new-ok' } }),
      auditEntry({ requestId: 'new-err', createdAt: new Date(now - 500), status: 502, errorType: 'upstream', provider: 'groq', attempts: ['openai/gpt-4o', 'groq/llama'] }),
    ]);
    const errors = await audit.page({ limit: 10, status: 'error' });
    expect(errors.data.map((entry) => entry.requestId)).toEqual(['new-err']);
    expect((await audit.page({ limit: 10, provider: 'groq' })).data[0]).toMatchObject({ attempts: '["openai/gpt-4o","groq/llama"]' });
    const first = await audit.page({ limit: 1 });
    const second = await audit.page({ limit: 1, cursor: first.nextCursor! });
    expect([first.data[0].requestId, second.data[0].requestId]).toEqual(['new-err', 'new-ok']);
    expect(await audit.find(second.data[0].id)).toMatchObject({ requestBody: 'bodywith nul' });

    const processor = new UsageRetentionProcessor({ deleteOlderThan: async () => 0 }, database.config, audit);
    expect(await processor.process({ id: 'j', name: JobName.AuditRetention, data: { retentionDays: 30 }, attempt: 1 })).toMatchObject({ deleted: 1 });
    expect((await audit.page({ limit: 10 })).data.map((entry) => entry.requestId)).toEqual(['new-err', 'new-ok']);
    await inserter.onApplicationShutdown();
  });
});
