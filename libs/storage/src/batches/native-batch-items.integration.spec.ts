import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/test-databases';
import { BatchItemsRepository } from './batch-items.repository';
import { BatchesRepository } from './batches.repository';
import type { StoredBatch } from './stored-batch';

function nativeBatch(id: string): StoredBatch {
  const now = new Date();
  return {
    id,
    createdAt: now,
    updatedAt: now,
    status: 'in_progress',
    mode: 'native',
    provider: 'anthropic',
    endpoint: '/v1/messages',
    keyId: null,
    userPath: null,
    nativeId: 'msgbatch_1',
    generation: 0,
    totalCount: 3,
    completedCount: 0,
    failedCount: 0,
    expiresAt: new Date(now.getTime() + 86_400_000),
    body: { id, status: 'in_progress' },
    budgetCharge: null,
  };
}

describe.each(['sqlite', 'postgres'] as const)('native batch items on %s', (kind) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let batches: BatchesRepository;
  let items: BatchItemsRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dataSource = new DataSource(db.options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    batches = new BatchesRepository(dataSource);
    items = new BatchItemsRepository(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.dispose();
  });

  it('pages requests, records provider outcomes once each, and closes what the provider never reported', async () => {
    const request = (n: number) => ({ model: 'claude-x', max_tokens: n, messages: [] });
    await batches.create(
      nativeBatch('batch_native_1'),
      [0, 1, 2].map((position) => ({ position, customId: `c-${position}`, provider: 'anthropic', request: request(position) })),
    );
    expect(await items.requests('batch_native_1', -1, 2)).toEqual([
      { position: 0, customId: 'c-0', request: request(0) },
      { position: 1, customId: 'c-1', request: request(1) },
    ]);
    expect((await items.requests('batch_native_1', 1, 10)).map((item) => item.position)).toEqual([2]);

    const outcomes = [
      { position: 0, status: 'succeeded' as const, statusCode: 200, response: { type: 'message' }, error: null, upstreamRequestId: 'msg_1' },
      { position: 1, status: 'cancelled' as const, statusCode: null, response: null, error: null, upstreamRequestId: null },
    ];
    expect((await items.recordNative('batch_native_1', outcomes)).sort()).toEqual([0, 1]);
    // A finalization run again records nothing twice.
    expect(await items.recordNative('batch_native_1', outcomes)).toEqual([]);
    expect(await items.closeOpen('batch_native_1', ['pending'], 'expired')).toBe(1);
    expect(await items.counts('batch_native_1')).toMatchObject({ pending: 0, succeeded: 1, cancelled: 1, expired: 1 });
    const page = await items.page('batch_native_1', -1, 10, ['succeeded', 'cancelled', 'expired']);
    expect(page.map((item) => [item.customId, item.status, item.statusCode, item.upstreamRequestId])).toEqual([
      ['c-0', 'succeeded', 200, 'msg_1'],
      ['c-1', 'cancelled', null, null],
      ['c-2', 'expired', null, null],
    ]);
  });
});
