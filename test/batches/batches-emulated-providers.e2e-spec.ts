import OpenAI, { toFile } from 'openai';
import { DataSource } from 'typeorm';
import { FakeAnthropicUpstream } from '../support/fake-anthropic';
import { FakeGeminiUpstream } from '../support/fake-gemini';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const KEY = 'sk-upstream-secret';
type Batch = OpenAI.Batches.Batch;

async function waitFor(client: OpenAI, id: string, done: (batch: Batch) => boolean, attempts = 300): Promise<Batch> {
  for (let i = 0; i < attempts; i++) {
    const batch = await client.batches.retrieve(id);
    if (done(batch)) return batch;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`batch ${id} did not reach the expected state`);
}
const ended = (batch: Batch) => ['completed', 'failed', 'expired', 'cancelled'].includes(batch.status);

async function outputOf(client: OpenAI, fileId: string): Promise<Array<Record<string, any>>> {
  const text = await (await client.files.content(fileId)).text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((row) => JSON.parse(row) as Record<string, any>);
}

function chatJsonl(model: string, count: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ custom_id: `c-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model, max_tokens: 16, messages: [{ role: 'user', content: `hi ${i}` }] } }),
  ).join('\n');
}

function messagesJsonl(model: string, count: number, extra: Record<string, unknown> = {}): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ custom_id: `m-${i}`, method: 'POST', url: '/v1/messages', body: { model, max_tokens: 16, messages: [{ role: 'user', content: `hi ${i}` }], ...extra } }),
  ).join('\n');
}

describe('/v1/batches, emulated, on translated providers and under pressure (official openai SDK)', () => {
  let openai: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gemini: FakeGeminiUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    openai = await FakeOpenAIUpstream.start({ apiKey: KEY, models: ['gpt-4o-mini'] });
    anthropic = await FakeAnthropicUpstream.start({ apiKey: KEY });
    gemini = await FakeGeminiUpstream.start({ apiKey: KEY });
    gateway = await startTestGateway({
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: openai.baseUrl,
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: anthropic.url,
      GEMINI_API_KEY: KEY,
      GEMINI_BASE_URL: gemini.url,
      BATCH_MODE: 'emulate',
      BATCH_CONCURRENCY: '2',
      UPSTREAM_MAX_RETRIES: '0',
    });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([openai?.close(), anthropic?.close(), gemini?.close()]);
  });

  it.each([
    ['anthropic', 'anthropic/claude-haiku-4-5-20251001'],
    ['gemini', 'gemini/gemini-2.5-flash'],
  ])('runs chat lines on %s, translated, and answers OpenAI chat completions in the output file', async (provider, model) => {
    const input = await client.files.create({ file: await toFile(Buffer.from(chatJsonl(model, 5)), 'in.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(created).toMatchObject({ provider, mode: 'emulated' });
    const done = await waitFor(client, created.id, ended);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 5, completed: 5, failed: 0 } });
    const lines = await outputOf(client, done.output_file_id!);
    expect(lines.map((line) => line.custom_id).sort()).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4']);
    for (const line of lines)
      expect(line.response).toMatchObject({
        status_code: 200,
        body: { object: 'chat.completion', choices: [expect.objectContaining({ message: expect.objectContaining({ role: 'assistant' }) })] },
      });
  });

  it.each([
    ['openai', 'gpt-4o-mini', 'translated to chat completions'],
    ['anthropic', 'anthropic/claude-haiku-4-5-20251001', 'natively'],
  ])('runs /v1/messages lines on %s (%s → %s) and answers Anthropic messages, one usage row per item', async (provider, model) => {
    openai.reset();
    anthropic.reset();
    const input = await client.files.create({ file: await toFile(Buffer.from(messagesJsonl(model, 3)), 'in.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/messages' as '/v1/chat/completions', completion_window: '24h' });
    expect(created).toMatchObject({ provider, mode: 'emulated', endpoint: '/v1/messages' });
    const done = await waitFor(client, created.id, ended);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 3, completed: 3, failed: 0 }, error_file_id: null });
    const lines = await outputOf(client, done.output_file_id!);
    expect(lines.map((line) => line.custom_id).sort()).toEqual(['m-0', 'm-1', 'm-2']);
    for (const line of lines) {
      expect(line.response.status_code).toBe(200);
      expect(line.response.body).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [expect.objectContaining({ type: 'text', text: expect.stringMatching(/./) })],
        stop_reason: expect.any(String),
        usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
      });
      expect(line.response.body.usage.input_tokens).toBeGreaterThan(0);
    }
    if (provider === 'openai') {
      const sent = openai.requests.filter((request) => request.path === '/v1/chat/completions');
      expect(sent).toHaveLength(3);
      expect(sent[0].body).toMatchObject({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: expect.stringMatching(/^hi /) }] });
    } else {
      const sent = anthropic.requests.filter((request) => request.path === '/v1/messages');
      expect(sent).toHaveLength(3);
      expect(sent[0].body).toMatchObject({ model: 'claude-haiku-4-5-20251001', max_tokens: 16, stream: false });
      expect(anthropic.requests.some((request) => request.path.includes('/batches'))).toBe(false);
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // the usage writer flushes every 50 ms
    const rows = await gateway.app
      .get(DataSource)
      .query<Array<Record<string, unknown>>>('SELECT custom_id, endpoint, provider, status, input_tokens, output_tokens FROM usage_records WHERE batch_id = ? ORDER BY custom_id', [
        created.id,
      ]);
    expect(rows).toHaveLength(3);
    for (const [index, row] of rows.entries()) {
      expect(row).toMatchObject({ custom_id: `m-${index}`, endpoint: '/v1/batches', provider, status: 200 });
      expect(row.input_tokens).toBe(lines.find((line) => line.custom_id === row.custom_id)!.response.body.usage.input_tokens);
      expect(Number(row.output_tokens)).toBeGreaterThan(0);
    }
  });

  it('answers a /v1/messages line that is not a Messages request with a 400 in Anthropic’s envelope naming the field; the rest run', async () => {
    const lines = [
      JSON.stringify({ custom_id: 'ok', method: 'POST', url: '/v1/messages', body: { model: 'gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] } }),
      JSON.stringify({ custom_id: 'no-max', method: 'POST', url: '/v1/messages', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } }),
      JSON.stringify({ custom_id: 'not-list', method: 'POST', url: '/v1/messages', body: { model: 'anthropic/claude-haiku-4-5-20251001', max_tokens: 8, messages: 'x' } }),
    ].join('\n');
    const input = await client.files.create({ file: await toFile(Buffer.from(lines), 'in.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/messages' as '/v1/chat/completions', completion_window: '24h' });
    const done = await waitFor(client, created.id, ended);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 3, completed: 1, failed: 2 } });
    expect((await outputOf(client, done.output_file_id!)).map((line) => [line.custom_id, line.response.body.type])).toEqual([['ok', 'message']]);
    const errors = await outputOf(client, done.error_file_id!);
    expect(errors.map((line) => [line.custom_id, line.response.status_code, line.response.body]).sort()).toEqual([
      ['no-max', 400, { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } }],
      ['not-list', 400, { type: 'error', error: { type: 'invalid_request_error', message: 'messages: Input should be a valid list' } }],
    ]);
  });

  it('slows down on upstream 429s (retry-after honoured) instead of failing the items', async () => {
    openai.reset();
    openai.enqueue({ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'status', status: 429, retryAfter: '1' });
    const started = Date.now();
    const input = await client.files.create({ file: await toFile(Buffer.from(chatJsonl('gpt-4o-mini', 4)), 'in.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const done = await waitFor(client, created.id, ended);
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 4, completed: 4, failed: 0 }, error_file_id: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const sent = openai.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(sent).toHaveLength(6);
  });

  it('cancels mid-run: running items finish, pending ones are never sent, the partial output is kept', async () => {
    openai.reset();
    openai.setDefault({ kind: 'ok', delayMs: 300 });
    try {
      const input = await client.files.create({ file: await toFile(Buffer.from(chatJsonl('gpt-4o-mini', 20)), 'in.jsonl'), purpose: 'batch' });
      const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      await waitFor(client, created.id, (batch) => batch.request_counts!.completed >= 2, 100);
      const cancelling = await client.batches.cancel(created.id);
      expect(['cancelling', 'cancelled']).toContain(cancelling.status);
      const done = await waitFor(client, created.id, ended);
      expect(done.status).toBe('cancelled');
      expect(done.cancelled_at).toEqual(expect.any(Number));
      const sent = openai.requests.filter((request) => request.path === '/v1/chat/completions').length;
      expect(sent).toBeLessThan(20);
      expect(done.request_counts!.completed).toBe(sent);
      const output = await outputOf(client, done.output_file_id!);
      expect(output).toHaveLength(sent);
      const skipped = await outputOf(client, done.error_file_id!);
      expect(skipped).toHaveLength(20 - sent);
      expect(skipped[0]).toMatchObject({ response: null, error: { code: 'batch_cancelled' } });
    } finally {
      openai.setDefault({ kind: 'ok' });
    }
  });
});
