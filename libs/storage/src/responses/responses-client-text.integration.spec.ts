import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/test-databases';
import type { StoredResponse } from './stored-response';
import { ResponsesRepository } from './responses.repository';

// Client- and provider-supplied strings PostgreSQL would refuse as they are: a NUL, lone
// surrogates, an id longer than its column.
const LONG_ID = `resp_${'n'.repeat(200)}`;

function response(overrides: Partial<StoredResponse>): StoredResponse {
  const now = new Date();
  return {
    id: 'resp_plain',
    createdAt: now,
    updatedAt: now,
    status: 'completed',
    provider: 'openai',
    model: 'gpt-4o-mini',
    native: true,
    background: false,
    previousResponseId: null,
    conversationId: null,
    keyId: null,
    userPath: null,
    request: { model: 'gpt\u0000-4o', metadata: { 'k\u0000': 'v\uD800' } },
    body: { id: LONG_ID, output_text: 'a\u0000b' },
    ...overrides,
  };
}

describe.each(['sqlite', 'postgres'] as const)('responses with odd client strings on %s', (kind) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: ResponsesRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dataSource = new DataSource(db.options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    repository = new ResponsesRepository(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.dispose();
  });

  it('stores them sanitised, finds the response and its items by the ids as sent, and keeps JSON exact', async () => {
    const stored = response({
      id: LONG_ID,
      model: 'gpt\u0000-4o\uD800',
      previousResponseId: 'resp_\u0000prev',
      conversationId: 'conv_\uDC00x',
      keyId: 'key\u0000',
    });
    const items = [
      { id: 'msg_\u0000a', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi\u0000' }] },
      { id: 'msg_b', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'there' }] },
    ];
    await repository.create(stored, items);

    const found = await repository.find(LONG_ID);
    expect(found).toMatchObject({
      id: LONG_ID.slice(0, 128),
      model: 'gpt-4o\uFFFD',
      previousResponseId: 'resp_prev',
      conversationId: 'conv_\uFFFDx',
      keyId: 'key',
      request: stored.request,
      body: stored.body,
    });
    expect(await repository.inputItems(LONG_ID)).toEqual(items);
    expect(await repository.pageInputItems(LONG_ID, { after: 'msg_\u0000a', limit: 10, order: 'asc' })).toEqual({ items: [items[1]], hasMore: false });
    expect(await repository.update(LONG_ID, { status: 'cancelled\u0000' })).toBe(true);
    expect((await repository.find(LONG_ID))?.status).toBe('cancelled');
    // A lookup by an odd id that names nothing is a miss, not a database error.
    expect(await repository.find('resp_\u0000missing\uD800')).toBeNull();
    expect(await repository.delete(LONG_ID)).toBe(true);
    expect(await repository.find(LONG_ID)).toBeNull();
  });
});
