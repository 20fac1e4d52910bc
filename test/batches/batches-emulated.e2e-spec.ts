import OpenAI, { toFile } from 'openai';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const UPSTREAM_KEY = 'sk-upstream-secret';

function line(customId: string, body: Record<string, unknown>, url = '/v1/chat/completions'): string {
  return JSON.stringify({ custom_id: customId, method: 'POST', url, body });
}

async function waitForEnd(client: OpenAI, id: string): Promise<OpenAI.Batches.Batch> {
  for (let i = 0; i < 200; i++) {
    const batch = await client.batches.retrieve(id);
    if (['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) return batch;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`batch ${id} did not finish`);
}

async function fileLines(client: OpenAI, id: string): Promise<Array<Record<string, any>>> {
  const text = await (await client.files.content(id)).text();
  return text
    .split('\n')
    .filter((row) => row !== '')
    .map((row) => JSON.parse(row) as Record<string, any>);
}

describe('/v1/batches, emulated, on an OpenAI-compatible upstream (official openai SDK)', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start({ apiKey: UPSTREAM_KEY, models: ['gpt-4o-mini', 'gpt-4o'] });
    gateway = await startTestGateway({ OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: upstream.baseUrl, BATCH_MODE: 'emulate' });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('runs the documented workflow: upload, create, poll, read the output file by custom_id', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `req-${i}`);
    const jsonl = ids.map((id) => line(id, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hello ${id}` }] })).join('\n');
    const input = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'in.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { job: 'nightly' } });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^batch_/),
      object: 'batch',
      input_file_id: input.id,
      metadata: { job: 'nightly' },
      mode: 'emulated',
      provider: 'openai',
    });
    expect(['validating', 'in_progress']).toContain(created.status);

    const done = await waitForEnd(client, created.id);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 25, completed: 25, failed: 0 }, error_file_id: null });
    expect(done.completed_at).toEqual(expect.any(Number));
    expect(done.finalizing_at).toEqual(expect.any(Number));
    const output = await fileLines(client, done.output_file_id!);
    expect(output.map((row) => row.custom_id).sort()).toEqual([...ids].sort());
    for (const row of output) {
      expect(row).toMatchObject({ id: expect.stringMatching(/^batch_req_/), response: { status_code: 200, body: { object: 'chat.completion' } }, error: null });
    }
    const results = await client.get<{ object: string; data: Array<{ index: number; custom_id: string; status_code: number }> }>(`/batches/${created.id}/results`);
    expect(results.data.map((item) => item.custom_id)).toEqual(ids);
    expect(results.data.map((item) => item.index)).toEqual(ids.map((_, i) => i));
  });

  it('fails a batch with malformed lines with OpenAI-style per-line errors, never a 500', async () => {
    const jsonl = [
      line('ok', { model: 'gpt-4o-mini', messages: [] }),
      JSON.stringify({ custom_id: 'no-body', method: 'POST', url: '/v1/chat/completions' }),
      JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini' } }),
      line('ok', { model: 'gpt-4o-mini', messages: [] }),
      line('wrong-url', { model: 'gpt-4o-mini' }, '/v1/embeddings'),
      line('unknown-model', { model: 'no-such-model', messages: [] }),
    ].join('\n');
    const input = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'bad.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(batch.status).toBe('failed');
    expect(batch.failed_at).toEqual(expect.any(Number));
    expect(batch.errors?.data?.map((error) => [error.line, error.code])).toEqual([
      [2, 'missing_required_parameter'],
      [3, 'missing_required_parameter'],
      [4, 'duplicate_custom_id'],
      [5, 'mismatched_endpoint'],
      [6, 'model_not_found'],
    ]);
  });

  it('judges each line by the key’s model access, as its own request would be: a forbidden model fails its line', async () => {
    const created = await fetch(`${gateway.url}/admin/auth-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'mini-only', models: ['openai/gpt-4o-mini'] }),
    });
    const key = (await created.json()) as { value: string };
    const limited = new OpenAI({ apiKey: key.value, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const jsonl = [
      line('allowed', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      line('forbidden', { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    ].join('\n');
    const input = await limited.files.create({ file: await toFile(Buffer.from(jsonl), 'in.jsonl'), purpose: 'batch' });
    const upstreamCalls = upstream.requests.length;
    const batch = await limited.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(batch.status).toBe('failed');
    expect(batch.errors?.data).toEqual([expect.objectContaining({ code: 'model_not_allowed', line: 2, param: 'body.model' })]);
    expect(upstream.requests.length).toBe(upstreamCalls);
  });

  it('accepts inline requests, lists newest first, and hides another user path', async () => {
    const requests = [{ custom_id: 'e1', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } }];
    const batch = await client.post<OpenAI.Batches.Batch>('/batches', { body: { endpoint: '/v1/chat/completions', completion_window: '24h', requests } });
    const done = await waitForEnd(client, batch.id);
    expect(done.request_counts).toEqual({ total: 1, completed: 1, failed: 0 });
    const page = await client.batches.list({ limit: 2 });
    expect(page.data[0].id).toBe(batch.id);
    const other = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-switchyard-user-path': 'someone/else' } });
    await expect(other.batches.retrieve(batch.id)).rejects.toMatchObject({ status: 404 });
    expect((await other.batches.list()).data).toEqual([]);
  });

  it('puts upstream HTTP errors in the error file with their response', async () => {
    upstream.enqueue({ kind: 'status', status: 400 });
    const requests = [{ custom_id: 'bad', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } }];
    const batch = await client.post<OpenAI.Batches.Batch>('/batches', { body: { endpoint: '/v1/chat/completions', completion_window: '24h', requests } });
    const done = await waitForEnd(client, batch.id);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 1, completed: 0, failed: 1 }, output_file_id: null });
    const errors = await fileLines(client, done.error_file_id!);
    expect(errors).toEqual([expect.objectContaining({ custom_id: 'bad', response: expect.objectContaining({ status_code: 400 }), error: null })]);
  });

  it('answers 400 naming the field for a bad create request', async () => {
    await expect(client.batches.create({ input_file_id: 'file-none', endpoint: '/v1/chat/completions', completion_window: '24h' })).rejects.toMatchObject({
      status: 400,
      param: 'input_file_id',
    });
    await expect(client.batches.create({ input_file_id: 'x', endpoint: '/v1/nope' as '/v1/chat/completions', completion_window: '24h' })).rejects.toMatchObject({
      status: 400,
      param: 'endpoint',
    });
  });
});
