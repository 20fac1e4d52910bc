import OpenAI, { toFile } from 'openai';
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
