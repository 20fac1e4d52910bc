import type { AppConfig } from '@app/config';
import type { BatchesRepository, StoredBatch } from '@app/storage';
import type { NativeBatchApis } from './native-batch-apis';
import type { NativeBatchBudget } from './native-batch-budget';
import type { NativeBatchClient } from './native-batch-client';
import type { NativeBatchResults } from './native-batch-results';
import { NativeBatchSync } from './native-batch-sync';
import type { NativeSnapshot } from './native-snapshot';

const REFRESH_MS = 1_000;

function batch(overrides: Partial<StoredBatch> = {}): StoredBatch {
  return {
    id: 'batch_1',
    createdAt: new Date(),
    updatedAt: new Date(Date.now() - 10 * REFRESH_MS),
    status: 'in_progress',
    mode: 'native',
    provider: 'openai',
    endpoint: '/v1/chat/completions',
    keyId: null,
    userPath: null,
    nativeId: 'batch_up_1',
    generation: 0,
    totalCount: 2,
    completedCount: 0,
    failedCount: 0,
    expiresAt: new Date(Date.now() + 86_400_000),
    body: { id: 'batch_1', status: 'in_progress', finalizing_at: null },
    budgetCharge: null,
    ...overrides,
  };
}

function setup(retrieve: () => Promise<NativeSnapshot>) {
  const stored = { current: batch() };
  const repository = {
    update: jest.fn((_id: string, patch: Partial<StoredBatch>) => {
      stored.current = { ...stored.current, ...patch };
      return Promise.resolve(true);
    }),
    find: jest.fn(() => Promise.resolve(stored.current)),
    touch: jest.fn(() => Promise.resolve()),
    findStale: jest.fn(() => Promise.resolve([batch(), batch({ id: 'batch_2', status: 'finalizing', updatedAt: new Date() })])),
  };
  const client = { retrieve: jest.fn(retrieve), cancel: jest.fn() } as unknown as NativeBatchClient & { retrieve: jest.Mock };
  const apis = { client: () => client, context: () => ({ requestId: 'r', signal: new AbortController().signal }) } as unknown as NativeBatchApis;
  const results = { complete: jest.fn(() => Promise.resolve(true)) };
  const config = { batches: { nativeRefreshMs: REFRESH_MS } } as AppConfig;
  const budget = { release: jest.fn(() => Promise.resolve()) };
  const sync = new NativeBatchSync(config, repository as unknown as BatchesRepository, apis, results as unknown as NativeBatchResults, budget as unknown as NativeBatchBudget);
  return { sync, repository, client, results, stored, budget };
}

describe('NativeBatchSync', () => {
  it('shares one provider call among concurrent refreshes and maps its progress', async () => {
    const { sync, client } = setup(() => Promise.resolve({ status: 'in_progress', completed: 1, failed: 0 }));
    const [first, second] = await Promise.all([sync.refresh(batch()), sync.refresh(batch())]);
    expect(client.retrieve).toHaveBeenCalledTimes(1);
    expect(first).toMatchObject({ status: 'in_progress', completedCount: 1 });
    expect(second).toBe(first);
  });

  it('does not call the provider for a batch refreshed less than the interval ago, nor for emulated or finished ones', async () => {
    const { sync, client } = setup(() => Promise.resolve({ status: 'in_progress', completed: 0, failed: 0 }));
    await sync.refresh(batch({ updatedAt: new Date() }));
    await sync.refresh(batch({ mode: 'emulated' }));
    await sync.refresh(batch({ status: 'completed' }));
    expect(client.retrieve).not.toHaveBeenCalled();
  });

  it('keeps the last known state when the provider call fails, and paces the next try', async () => {
    const { sync, repository } = setup(() => Promise.reject(new Error('connect ECONNREFUSED')));
    const before = batch({ completedCount: 1 });
    expect(await sync.refresh(before)).toBe(before);
    expect(repository.touch).toHaveBeenCalledWith('batch_1');
    expect(repository.update).not.toHaveBeenCalled();
  });

  it('moves an ended batch to finalizing, then brings its results home once', async () => {
    const { sync, repository, results } = setup(() => Promise.resolve({ status: 'completed', ended: 'completed', completed: 2, failed: 0, outputFileId: 'file-o' }));
    await sync.refresh(batch());
    expect(repository.update).toHaveBeenCalledWith('batch_1', expect.objectContaining({ status: 'finalizing' }), ['in_progress']);
    expect(results.complete).toHaveBeenCalledTimes(1);
    expect(results.complete.mock.calls[0]).toEqual([
      expect.objectContaining({ status: 'finalizing' }),
      expect.anything(),
      expect.objectContaining({ ended: 'completed' }),
      expect.anything(),
    ]);
  });

  it('refreshes, from the sweep, open native batches nobody retrieved (a fresh finalization is left to its owner)', async () => {
    const { sync, repository, client } = setup(() => Promise.resolve({ status: 'in_progress', completed: 1, failed: 0 }));
    expect(await sync.refreshDue()).toBe(1);
    expect(repository.findStale).toHaveBeenCalledWith('native', ['validating', 'in_progress', 'cancelling', 'finalizing'], expect.any(Date), 100);
    expect(client.retrieve).toHaveBeenCalledTimes(1);
  });

  it("stores a provider's failure with its errors", async () => {
    const errors = [{ code: 'invalid_request', message: 'bad line', param: null, line: 1 }];
    const { sync, stored, budget } = setup(() => Promise.resolve({ status: 'failed', ended: 'failed', completed: 0, failed: 0, errors }));
    await sync.refresh(batch());
    expect(stored.current).toMatchObject({ status: 'failed', body: { errors: { object: 'list', data: errors } } });
    // Nothing ran: the estimate charged at create is released.
    expect(budget.release).toHaveBeenCalledWith('batch_1');
  });
});
