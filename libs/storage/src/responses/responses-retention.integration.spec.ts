import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/test-databases';
import type { StoredResponse } from './stored-response';
import { ResponsesRepository } from './responses.repository';

const DAY = 86_400_000;

function storedResponse(id: string, ageDays: number, status: string): StoredResponse {
  const createdAt = new Date(Date.now() - ageDays * DAY);
  return {
    id,
    createdAt,
    updatedAt: createdAt,
    status,
    provider: 'openai',
    model: 'gpt-4o-mini',
    native: false,
    background: status === 'in_progress',
    previousResponseId: null,
    conversationId: null,
    keyId: null,
    userPath: null,
    request: { model: 'gpt-4o-mini' },
    body: { id, status },
  };
}

describe.each(['sqlite', 'postgres'] as const)('responses retention on %s', (kind) => {
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

  it('deletes finished responses and their input items older than the cutoff, in batches, and keeps the rest', async () => {
    const item = (id: string) => ({ id, type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] });
    for (let i = 0; i < 5; i++) await repository.create(storedResponse(`resp_old${i}`, 40, i % 2 ? 'failed' : 'completed'), [item(`msg_old${i}`)]);
    await repository.create(storedResponse('resp_running', 40, 'in_progress'), [item('msg_running')]);
    await repository.create(storedResponse('resp_recent', 5, 'completed'), [item('msg_recent')]);

    expect(await repository.deleteOlderThan(new Date(Date.now() - 30 * DAY), 2)).toBe(5);
    expect(await repository.deleteOlderThan(new Date(Date.now() - 30 * DAY), 2)).toBe(0);
    expect(await repository.find('resp_old0')).toBeNull();
    expect(await repository.inputItems('resp_old0')).toEqual([]);
    // A run still in progress belongs to the stale sweep, not to retention.
    expect(await repository.find('resp_running')).not.toBeNull();
    expect(await repository.inputItems('resp_recent')).toHaveLength(1);
  });
});
