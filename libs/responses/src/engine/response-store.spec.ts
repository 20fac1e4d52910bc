import type { ResponsesRepository, StoredResponse, StoredResponsePatch } from '@app/storage';
import { ResponseStore } from './response-store';

/** ResponsesRepository's contract over a Map: conditional updates as the SQL `WHERE status IN` does. */
class FakeResponsesRepository {
  readonly rows = new Map<string, StoredResponse & { touched: number }>();

  async create(response: StoredResponse): Promise<void> {
    this.rows.set(response.id, { ...response, touched: 0 });
  }

  async find(id: string): Promise<StoredResponse | null> {
    return this.rows.get(id) ?? null;
  }

  async update(id: string, patch: StoredResponsePatch, fromStatuses?: readonly string[]): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || (fromStatuses && !fromStatuses.includes(row.status))) return false;
    this.rows.set(id, { ...row, ...patch, touched: row.touched + 1 });
    return true;
  }

  async delete(id: string): Promise<boolean> {
    return this.rows.delete(id);
  }
}

function response(id: string, status: string): StoredResponse {
  const at = new Date('2026-03-01T12:00:00Z');
  return {
    id,
    createdAt: at,
    updatedAt: at,
    status,
    provider: 'openai',
    model: 'gpt-4o',
    native: false,
    background: true,
    previousResponseId: null,
    conversationId: null,
    keyId: null,
    userPath: null,
    request: {},
    body: { id, status },
  };
}

function setup() {
  const repository = new FakeResponsesRepository();
  return { repository, store: new ResponseStore(repository as unknown as ResponsesRepository) };
}

describe('ResponseStore', () => {
  it('keeps its repository to itself: callers use its methods', () => {
    // Checked by `npm run typecheck`: this line stops compiling if `repository` becomes public again.
    // @ts-expect-error private
    const reach = (store: ResponseStore) => store.repository;
    expect(reach).toBeInstanceOf(Function);
  });

  it('moves a response only from the statuses given, storing the body and its status', async () => {
    const { repository, store } = setup();
    await store.save(response('resp_1', 'queued'), []);
    expect(await store.transition('resp_1', { id: 'resp_1', status: 'in_progress' }, ['queued', 'in_progress'])).toBe(true);
    expect(repository.rows.get('resp_1')).toMatchObject({ status: 'in_progress', body: { status: 'in_progress' } });
    // A cancel that lost the race: the run already finished.
    expect(await store.transition('resp_1', { id: 'resp_1', status: 'completed' }, ['in_progress'])).toBe(true);
    expect(await store.transition('resp_1', { id: 'resp_1', status: 'cancelled' }, ['queued', 'in_progress'])).toBe(false);
    expect(repository.rows.get('resp_1')).toMatchObject({ status: 'completed', body: { status: 'completed' } });
    expect(await store.transition('resp_missing', { status: 'failed' }, ['in_progress'])).toBe(false);
  });

  it('beats the heart of running responses only, and replaces whatever the status', async () => {
    const { repository, store } = setup();
    await store.save(response('resp_run', 'in_progress'), []);
    await store.save(response('resp_done', 'completed'), []);
    await store.heartbeat('resp_run');
    await store.heartbeat('resp_done');
    expect([repository.rows.get('resp_run')?.touched, repository.rows.get('resp_done')?.touched]).toEqual([1, 0]);
    expect(repository.rows.get('resp_run')?.status).toBe('in_progress');

    await store.replace('resp_done', { id: 'resp_done', status: 'incomplete' });
    expect(repository.rows.get('resp_done')).toMatchObject({ status: 'incomplete', body: { status: 'incomplete' } });
  });

  it('deletes, saying whether there was a response', async () => {
    const { store } = setup();
    await store.save(response('resp_1', 'completed'), []);
    expect(await store.delete('resp_1')).toBe(true);
    expect(await store.delete('resp_1')).toBe(false);
    expect(await store.find('resp_1')).toBeNull();
  });
});
