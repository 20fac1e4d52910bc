import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, buildConfig } from '@app/config';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import type { NewUsageRecord } from '../src/usage/new-usage-record';
import type { UsageRecordEntity } from '../src/usage/usage-record.entity';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One isolated database for a test file: its own PostgreSQL schema, or a SQLite file in a temp dir. */
export interface TestDatabase {
  readonly kind: 'postgres' | 'sqlite';
  readonly config: AppConfig;
  /** buildDataSourceOptions(config), pointed at the isolated schema on PostgreSQL. */
  readonly options: DataSourceOptions;
  dispose(): Promise<void>;
}

/** Runs one statement on TEST_DATABASE_URL, e.g. to create or drop a schema or database. */
export async function adminQuery(sql: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL });
  await admin.initialize();
  try {
    await admin.query(sql);
  } finally {
    await admin.destroy();
  }
}

async function createPostgres(): Promise<TestDatabase> {
  const schema = `storage_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA "${schema}"`);
  const config = buildConfig({ DATABASE_URL: TEST_DATABASE_URL, RUN_MIGRATIONS: 'false' });
  const options = { ...buildDataSourceOptions(config), schema } as DataSourceOptions;
  return { kind: 'postgres', config, options, dispose: () => adminQuery(`DROP SCHEMA "${schema}" CASCADE`) };
}

async function createSqlite(): Promise<TestDatabase> {
  const root = await mkdtemp(join(tmpdir(), 'switchyard-storage-'));
  // A directory that does not exist yet: the DataSource must create it.
  const config = buildConfig({ DATA_DIR: join(root, 'nested', 'data'), RUN_MIGRATIONS: 'false' });
  const options = buildDataSourceOptions(config);
  return { kind: 'sqlite', config, options, dispose: () => rm(root, { recursive: true, force: true }) };
}

export function createTestDatabase(kind: TestDatabase['kind']): Promise<TestDatabase> {
  return kind === 'postgres' ? createPostgres() : createSqlite();
}

/** A complete record with every optional field set; override what a test cares about. */
export function usageRecord(overrides: Partial<NewUsageRecord> = {}): NewUsageRecord {
  return {
    requestId: `req-${randomBytes(6).toString('hex')}`,
    createdAt: new Date('2026-03-01T12:34:56.789Z'),
    provider: 'openai',
    model: 'gpt-4o-mini',
    endpoint: '/v1/chat/completions',
    status: 200,
    stream: true,
    inputTokens: 120,
    outputTokens: 45,
    cachedTokens: 100,
    reasoningTokens: 7,
    audioDurationMs: null,
    inputCharacters: null,
    latencyMs: 850,
    timeToFirstTokenMs: 210,
    keyId: 'key_123',
    userPath: 'team-a/alice',
    errorType: null,
    cacheWriteTokens: 5,
    audioInputTokens: 0,
    audioOutputTokens: 0,
    // gpt-4o-mini: 15 uncached at 0.15, 100 cached at 0.075, 5 cache writes at 0.15, 38 + 7 reasoning at 0.60
    cost: { input: 2, cachedInput: 8, cacheWrite: 1, output: 23, reasoning: 4, audioInput: 0, audioOutput: 0, total: 38, source: 'price_table' },
    batchId: 'batch_abc',
    customId: 'item-1',
    ...overrides,
  };
}

/** A record as `usage_records` holds it: the cost breakdown flattened into its columns (see toUsageRow). */
export function storedRow(rec: NewUsageRecord): Omit<UsageRecordEntity, 'id'> {
  const { cost, ...fields } = rec;
  return {
    ...fields,
    cacheWriteTokens: rec.cacheWriteTokens ?? 0,
    audioInputTokens: rec.audioInputTokens ?? 0,
    audioOutputTokens: rec.audioOutputTokens ?? 0,
    audioDurationMs: rec.audioDurationMs ?? null,
    inputCharacters: rec.inputCharacters ?? null,
    batchId: rec.batchId ?? null,
    customId: rec.customId ?? null,
    costInputMicros: cost?.input ?? null,
    costCachedInputMicros: cost?.cachedInput ?? null,
    costCacheWriteMicros: cost?.cacheWrite ?? null,
    costOutputMicros: cost?.output ?? null,
    costReasoningMicros: cost?.reasoning ?? null,
    costAudioInputMicros: cost?.audioInput ?? null,
    costAudioOutputMicros: cost?.audioOutput ?? null,
    costMicros: cost?.total ?? null,
    costSource: cost?.source ?? null,
    cacheHit: rec.cacheHit === true,
    savedCostMicros: rec.savedCostMicros ?? null,
  };
}
