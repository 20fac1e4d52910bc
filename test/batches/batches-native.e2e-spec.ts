import OpenAI, { toFile } from 'openai';
import { DataSource } from 'typeorm';
import { FakeAnthropicBatches, FakeOpenAIBatches } from '../support/fake-batches';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const KEY = 'sk-upstream-secret-native';
type Batch = OpenAI.Batches.Batch;
type Line = Record<string, any>;

const ended = (batch: Batch) => ['completed', 'failed', 'expired', 'cancelled'].includes(batch.status);

async function waitFor(client: OpenAI, id: string, done: (batch: Batch) => boolean = ended): Promise<Batch> {
  for (let i = 0; i < 200; i++) {
    const batch = await client.batches.retrieve(id);
    if (done(batch)) return batch;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`batch ${id} did not reach the expected state`);
}

async function fileLines(client: OpenAI, id: string): Promise<Line[]> {
  const text = await (await client.files.content(id)).text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((row) => JSON.parse(row) as Line);
}

const jsonl = (lines: Line[]) => lines.map((line) => JSON.stringify(line)).join('\n');
const chatLine = (customId: string, model: string, content: string, extra: Record<string, unknown> = {}) => ({
  custom_id: customId,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model, messages: [{ role: 'user', content }], ...extra },
});

/** The documented workflow: upload the JSONL, create the batch, poll it, read the output file. */
async function runBatch(client: OpenAI, lines: Line[], endpoint: '/v1/chat/completions' | '/v1/messages' = '/v1/chat/completions'): Promise<{ created: Batch; done: Batch }> {
  const input = await client.files.create({ file: await toFile(Buffer.from(jsonl(lines)), 'in.jsonl'), purpose: 'batch' });
  const created = await client.batches.create({ input_file_id: input.id, endpoint: endpoint as '/v1/chat/completions', completion_window: '24h' });
  return { created, done: await waitFor(client, created.id) };
}

describe('/v1/batches, native, on the providers own batch APIs (official openai SDK)', () => {
  let openai: FakeOpenAIBatches;
  let groq: FakeOpenAIBatches;
  let anthropic: FakeAnthropicBatches;
  let azure: FakeOpenAIBatches;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    azure = await FakeOpenAIBatches.start({ apiKey: KEY, prefix: '/openai', auth: 'api-key' });
    openai = await FakeOpenAIBatches.start({ apiKey: KEY, models: ['gpt-4o-mini', 'gpt-fail'] });
    groq = await FakeOpenAIBatches.start({ apiKey: KEY, prefix: '/openai/v1', models: ['llama-3.1-8b-instant'] });
    anthropic = await FakeAnthropicBatches.start({ apiKey: KEY, models: ['claude-haiku-4-5'] });
    gateway = await startTestGateway(
      {
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: openai.baseUrl,
        GROQ_API_KEY: KEY,
        GROQ_BASE_URL: groq.baseUrl,
        ANTHROPIC_API_KEY: KEY,
        ANTHROPIC_BASE_URL: anthropic.url,
        AZURE_API_KEY: KEY,
        AZURE_BASE_URL: azure.origin,
        AZURE_MODELS: 'my-gpt-deployment',
        BATCH_NATIVE_REFRESH: '10ms',
        UPSTREAM_MAX_RETRIES: '0',
      },
      { routingYaml: 'aliases:\n  cheap:\n    targets: [openai/gpt-4o-mini]\n' },
    );
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([openai?.close(), groq?.close(), anthropic?.close(), azure?.close()]);
  });

  beforeEach(() => {
    openai.reset();
    groq.reset();
    anthropic.reset();
    azure.reset();
  });

  it('charges what the provider ran to the budgets of the batch’s user path, once, when the results come home', async () => {
    const admin = { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' };
    expect(
      (
        await fetch(`${gateway.url}/admin/budgets`, {
          method: 'PUT',
          headers: admin,
          body: JSON.stringify({ user_path: '/native-team', period: 'daily', amount_micros: 1_000_000_000 }),
        })
      ).status,
    ).toBe(200);
    const team = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-switchyard-user-path': '/native-team' } });
    const { created, done } = await runBatch(team, [chatLine('a', 'openai/gpt-4o-mini', 'one'), chatLine('b', 'openai/gpt-4o-mini', 'two')]);
    expect(done).toMatchObject({ status: 'completed', mode: 'native' });
    await team.batches.retrieve(created.id); // a later refresh must not charge again
    await new Promise((resolve) => setTimeout(resolve, 300)); // the usage writer's and the spend journal's flushes
    const [{ total }] = await gateway.app.get(DataSource).query<{ total: number }[]>('SELECT SUM(cost_micros) AS total FROM usage_records WHERE batch_id = ?', [created.id]);
    expect(Number(total)).toBeGreaterThan(0);
    const budgets = (await (await fetch(`${gateway.url}/admin/budgets`, { headers: admin })).json()) as { data: { user_path: string | null; spent_micros: number }[] };
    expect(budgets.data.find((budget) => budget.user_path === '/native-team')!.spent_micros).toBe(Number(total));
  });

  describe('reserving the whole batch against its budgets at create', () => {
    const admin = { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' };
    // gpt-4o-mini at the batch price (half of 0.15 / 0.60 USD per Mtok): one line's bound is ≈ 2 µ$ of input plus 1000 × 0.30 µ$ of output.
    const boundedLine = (customId: string) => chatLine(customId, 'openai/gpt-4o-mini', customId, { max_tokens: 1000 });
    const spentOf = async (userPath: string) => {
      const budgets = (await (await fetch(`${gateway.url}/admin/budgets`, { headers: admin })).json()) as { data: { user_path: string | null; spent_micros: number }[] };
      return budgets.data.find((budget) => budget.user_path === userPath)!.spent_micros;
    };
    const teamClient = async (userPath: string, amountMicros: number) => {
      const put = await fetch(`${gateway.url}/admin/budgets`, {
        method: 'PUT',
        headers: admin,
        body: JSON.stringify({ user_path: userPath, period: 'daily', amount_micros: amountMicros }),
      });
      expect(put.status).toBe(200);
      return new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-switchyard-user-path': userPath } });
    };

    it('refuses with 429 budget_exceeded a batch whose lines fit one by one but not together, before the provider hears of it', async () => {
      const team = await teamClient('/reserve-refused', 500);
      const one = await team.files.create({ file: await toFile(Buffer.from(jsonl([boundedLine('a')])), 'one.jsonl'), purpose: 'batch' });
      const two = await team.files.create({ file: await toFile(Buffer.from(jsonl([boundedLine('a'), boundedLine('b')])), 'two.jsonl'), purpose: 'batch' });
      const refusal = await team.batches.create({ input_file_id: two.id, endpoint: '/v1/chat/completions', completion_window: '24h' }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(OpenAI.RateLimitError);
      expect(refusal).toMatchObject({
        status: 429,
        code: 'budget_exceeded',
        type: 'rate_limit_error',
        error: { message: expect.stringContaining("user path '/reserve-refused'") },
      });
      expect(openai.requests.filter((request) => request.path === '/v1/batches')).toEqual([]);
      expect(await spentOf('/reserve-refused')).toBe(0);
      // The one-line batch fits.
      openai.hold = true;
      const created = await team.batches.create({ input_file_id: one.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      expect(created).toMatchObject({ mode: 'native', status: expect.stringMatching(/^(validating|in_progress)$/) });
      expect(await spentOf('/reserve-refused')).toBeGreaterThan(300);
      await team.batches.cancel(created.id);
      openai.hold = false;
      await waitFor(team, created.id);
    });

    it('holds the estimate while the provider runs the batch, and ends at the true cost once the results are home', async () => {
      const team = await teamClient('/reserve-settled', 10_000);
      openai.hold = true;
      const input = await team.files.create({ file: await toFile(Buffer.from(jsonl([boundedLine('a'), boundedLine('b')])), 'in.jsonl'), purpose: 'batch' });
      const created = await team.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      await waitFor(team, created.id, (batch) => batch.status === 'in_progress');
      const estimate = await spentOf('/reserve-settled');
      expect(estimate).toBeGreaterThan(600);
      openai.hold = false;
      expect(await waitFor(team, created.id)).toMatchObject({ status: 'completed', request_counts: { completed: 2 } });
      await new Promise((resolve) => setTimeout(resolve, 300)); // the usage writer's flush
      const [{ total }] = await gateway.app.get(DataSource).query<{ total: number }[]>('SELECT SUM(cost_micros) AS total FROM usage_records WHERE batch_id = ?', [created.id]);
      expect(Number(total)).toBeGreaterThan(0);
      expect(Number(total)).toBeLessThan(estimate);
      expect(await spentOf('/reserve-settled')).toBe(Number(total));
      await team.batches.retrieve(created.id); // a later refresh releases nothing twice
      expect(await spentOf('/reserve-settled')).toBe(Number(total));
    });

    it('releases the estimate of a batch its provider refuses to create', async () => {
      const team = await teamClient('/reserve-provider-refused', 10_000);
      openai.failNextCreate = { status: 500, message: 'The server had an error processing your request.' };
      const input = await team.files.create({ file: await toFile(Buffer.from(jsonl([boundedLine('a')])), 'in.jsonl'), purpose: 'batch' });
      const created = await team.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      expect(created).toMatchObject({ status: 'failed', errors: { data: [expect.objectContaining({ code: 'provider_batch_create_failed' })] } });
      expect(await spentOf('/reserve-provider-refused')).toBe(0);
    });

    it('releases the estimate of a batch cancelled before anything ran', async () => {
      const team = await teamClient('/reserve-cancelled', 10_000);
      openai.hold = true;
      const input = await team.files.create({ file: await toFile(Buffer.from(jsonl([boundedLine('a'), boundedLine('b')])), 'in.jsonl'), purpose: 'batch' });
      const created = await team.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      expect(await spentOf('/reserve-cancelled')).toBeGreaterThan(600);
      await team.batches.cancel(created.id);
      expect(await waitFor(team, created.id)).toMatchObject({ status: 'cancelled' });
      expect(await spentOf('/reserve-cancelled')).toBe(0);
    });
  });

  it('runs on OpenAI: upload with purpose=batch (models rewritten), create, poll, output as Switchyard files, one usage row per item', async () => {
    const lines = [chatLine('a', 'cheap', 'one'), chatLine('b', 'openai/gpt-4o-mini', 'two'), chatLine('c', 'openai/gpt-fail', 'three')];
    const { created, done } = await runBatch(client, lines);
    expect(created).toMatchObject({ mode: 'native', provider: 'openai', status: expect.stringMatching(/^(validating|in_progress)$/) });
    expect(done).toMatchObject({ status: 'completed', mode: 'native', provider: 'openai', request_counts: { total: 3, completed: 2, failed: 1 } });

    const upload = openai.requests.find((request) => request.path === '/v1/files' && request.method === 'POST');
    expect(upload?.fields).toEqual({ purpose: 'batch' });
    expect(upload?.headers.authorization).toBe(`Bearer ${KEY}`);
    const sent = upload!.fileText!.split('\n').map((row) => JSON.parse(row) as Line);
    expect(sent.map((row) => [row.custom_id, row.url, row.body.model])).toEqual([
      ['a', '/v1/chat/completions', 'gpt-4o-mini'],
      ['b', '/v1/chat/completions', 'gpt-4o-mini'],
      ['c', '/v1/chat/completions', 'gpt-fail'],
    ]);
    const create = openai.requests.find((request) => request.path === '/v1/batches');
    expect(create?.json).toMatchObject({ endpoint: '/v1/chat/completions', completion_window: '24h' });

    expect(openai.files.has(done.output_file_id!)).toBe(false);
    const output = await fileLines(client, done.output_file_id!);
    expect(output.map((row) => row.custom_id).sort()).toEqual(['a', 'b']);
    for (const row of output) expect(row).toMatchObject({ response: { status_code: 200, body: { object: 'chat.completion', model: 'gpt-4o-mini' } }, error: null });
    const errors = await fileLines(client, done.error_file_id!);
    expect(errors).toEqual([expect.objectContaining({ custom_id: 'c', response: expect.objectContaining({ status_code: 400 }) })]);

    const results = await client.get<{ data: Array<{ custom_id: string; status_code: number }> }>(`/batches/${created.id}/results`);
    expect(results.data.map((item) => [item.custom_id, item.status_code])).toEqual([
      ['a', 200],
      ['b', 200],
      ['c', 400],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the usage writer flushes every 50 ms
    const rows = await gateway.app
      .get(DataSource)
      .query('SELECT custom_id, endpoint, provider, model, input_tokens FROM usage_records WHERE batch_id = ? ORDER BY custom_id', [created.id]);
    const priced = await gateway.app.get(DataSource).query('SELECT cost_source FROM usage_records WHERE batch_id = ? AND custom_id = ?', [created.id, 'a']);
    expect(priced).toEqual([{ cost_source: 'price_table' }]);
    expect(rows).toEqual([
      { custom_id: 'a', endpoint: '/v1/batches', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 10 },
      { custom_id: 'b', endpoint: '/v1/batches', provider: 'openai', model: 'gpt-4o-mini', input_tokens: 10 },
      { custom_id: 'c', endpoint: '/v1/batches', provider: 'openai', model: 'gpt-fail', input_tokens: 0 },
    ]);
  });

  it('runs on Groq through its OpenAI-compatible Batch API under /openai/v1', async () => {
    const { created, done } = await runBatch(client, [chatLine('g1', 'groq/llama-3.1-8b-instant', 'hi'), chatLine('g2', 'groq/llama-3.1-8b-instant', 'yo')]);
    expect(created).toMatchObject({ mode: 'native', provider: 'groq' });
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 2, completed: 2, failed: 0 } });
    expect(groq.requests.map((request) => `${request.method} ${request.path}`)).toEqual(expect.arrayContaining(['POST /openai/v1/files', 'POST /openai/v1/batches']));
    expect((await fileLines(client, done.output_file_id!)).map((row) => row.response.body.choices[0].message.content).sort()).toEqual(['Echo: hi', 'Echo: yo']);
    expect(openai.requests).toEqual([]);
    const { response } = await client.batches.retrieve(created.id).withResponse();
    expect(response.headers.get('openai-poll-after-ms')).toBe('1000');
  });

  it("runs on Azure OpenAI's batch API: /openai/files and /openai/batches with api-version, api-key, deployment as model", async () => {
    const { created, done } = await runBatch(client, [chatLine('z1', 'azure/my-gpt-deployment', 'hi')]);
    expect(created).toMatchObject({ mode: 'native', provider: 'azure' });
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 1, completed: 1, failed: 0 } });
    const upload = azure.requests.find((request) => request.method === 'POST' && request.path === '/openai/files');
    expect(upload?.query.get('api-version')).toBe('2024-10-21');
    expect(upload?.headers['api-key']).toBe(KEY);
    expect(JSON.parse(upload!.fileText!)).toMatchObject({ custom_id: 'z1', url: '/chat/completions', body: { model: 'my-gpt-deployment' } });
    const create = azure.requests.find((request) => request.method === 'POST' && request.path === '/openai/batches');
    expect(create?.query.get('api-version')).toBe('2024-10-21');
    expect(create?.json).toMatchObject({ endpoint: '/chat/completions', completion_window: '24h' });
    expect((await fileLines(client, done.output_file_id!))[0]).toMatchObject({ custom_id: 'z1', response: { status_code: 200 } });
  });

  it('runs chat lines on Anthropic Message Batches, translated both ways', async () => {
    const lines = [
      {
        ...chatLine('q1', 'anthropic/claude-haiku-4-5', 'hello'),
        body: {
          model: 'anthropic/claude-haiku-4-5',
          messages: [
            { role: 'system', content: 'be brief' },
            { role: 'user', content: 'hello' },
          ],
        },
      },
      chatLine('q2', 'anthropic/claude-haiku-4-5', 'again', { max_tokens: 50 }),
    ];
    const { created, done } = await runBatch(client, lines);
    expect(created).toMatchObject({ mode: 'native', provider: 'anthropic' });
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 2, completed: 2, failed: 0 } });
    const create = anthropic.requests.find((request) => request.path === '/v1/messages/batches' && request.method === 'POST');
    expect(create?.headers['x-api-key']).toBe(KEY);
    expect(create?.json).toEqual({
      requests: [
        {
          custom_id: 'q1',
          params: expect.objectContaining({ model: 'claude-haiku-4-5', system: 'be brief', max_tokens: expect.any(Number), messages: [{ role: 'user', content: 'hello' }] }),
        },
        { custom_id: 'q2', params: expect.objectContaining({ model: 'claude-haiku-4-5', max_tokens: 50 }) },
      ],
    });
    const output = await fileLines(client, done.output_file_id!);
    expect(output.map((row) => [row.custom_id, row.response.status_code, row.response.body.object, row.response.body.choices[0].message.content]).sort()).toEqual([
      ['q1', 200, 'chat.completion', 'Echo: hello'],
      ['q2', 200, 'chat.completion', 'Echo: again'],
    ]);
    expect(output[0].response.body.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5 });
  });

  it('runs /v1/messages lines on Anthropic as they are, errored results in the error file, any custom_id', async () => {
    const message = (customId: string, extra: Record<string, unknown>) => ({
      custom_id: customId,
      method: 'POST',
      url: '/v1/messages',
      body: { model: 'anthropic/claude-haiku-4-5', messages: [{ role: 'user', content: 'hey' }], ...extra },
    });
    const { created, done } = await runBatch(client, [message('first.one', { max_tokens: 20 }), message('second one', {})], '/v1/messages');
    expect(created).toMatchObject({ mode: 'native', provider: 'anthropic', endpoint: '/v1/messages' });
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 2, completed: 1, failed: 1 } });
    const create = anthropic.requests.find((request) => request.path === '/v1/messages/batches' && request.method === 'POST');
    // Anthropic allows only [a-zA-Z0-9_-]{1,64}: Switchyard sends its own ids and maps them back.
    expect((create?.json?.requests as Line[]).map((request) => [request.custom_id, request.params])).toEqual([
      ['line-0', { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hey' }], max_tokens: 20 }],
      ['line-1', { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hey' }] }],
    ]);
    const [ok] = await fileLines(client, done.output_file_id!);
    expect(ok).toMatchObject({ custom_id: 'first.one', response: { status_code: 200, body: { type: 'message', content: [{ type: 'text', text: 'Echo: hey' }] } } });
    const [bad] = await fileLines(client, done.error_file_id!);
    expect(bad).toMatchObject({ custom_id: 'second one', response: { status_code: 400, body: { type: 'error', error: { type: 'invalid_request_error' } } } });
  });

  it('forwards a cancel to the provider and ends cancelled', async () => {
    openai.hold = true;
    const input = await client.files.create({ file: await toFile(Buffer.from(jsonl([chatLine('x', 'gpt-4o-mini', 'x')])), 'in.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    await waitFor(client, created.id, (batch) => batch.status === 'in_progress');
    const cancelling = await client.batches.cancel(created.id);
    expect(cancelling.status).toBe('cancelling');
    const nativeId = [...openai.batches.keys()][openai.batches.size - 1];
    expect(openai.requests.some((request) => request.method === 'POST' && request.path === `/v1/batches/${nativeId}/cancel`)).toBe(true);
    const done = await waitFor(client, created.id);
    expect(done).toMatchObject({ status: 'cancelled', mode: 'native', output_file_id: null });
    expect(done.cancelled_at).toEqual(expect.any(Number));
    const skipped = await fileLines(client, done.error_file_id!);
    expect(skipped).toEqual([expect.objectContaining({ custom_id: 'x', response: null, error: expect.objectContaining({ code: 'batch_cancelled' }) })]);
  });

  it('forwards a cancel to Anthropic (canceling → ended with canceled requests → cancelled)', async () => {
    anthropic.hold = true;
    const input = await client.files.create({ file: await toFile(Buffer.from(jsonl([chatLine('y', 'anthropic/claude-haiku-4-5', 'y')])), 'in.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect((await client.batches.cancel(created.id)).status).toBe('cancelling');
    anthropic.hold = false;
    expect(anthropic.requests.some((request) => request.method === 'POST' && /\/v1\/messages\/batches\/[^/]+\/cancel$/.test(request.path))).toBe(true);
    expect(await waitFor(client, created.id)).toMatchObject({ status: 'cancelled', request_counts: { total: 1, completed: 0, failed: 0 } });
  });

  it('fails the batch, naming the cause, when the provider refuses to create it (never a 500, no key)', async () => {
    openai.failNextCreate = { status: 500, message: 'The server had an error processing your request.' };
    const { created } = await runBatch(client, [chatLine('z', 'gpt-4o-mini', 'z')]);
    expect(created).toMatchObject({ status: 'failed', mode: 'native', provider: 'openai' });
    expect(created.errors?.data).toEqual([expect.objectContaining({ code: 'provider_batch_create_failed', message: expect.stringContaining("Provider 'openai'") })]);
    expect(JSON.stringify(created)).not.toContain(KEY);
    const upload = openai.requests.find((request) => request.method === 'POST' && request.path === '/v1/files');
    expect(openai.requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([expect.stringMatching(/^\/v1\/files\/file-/)]);
    expect(upload).toBeDefined();
    expect(await client.batches.retrieve(created.id)).toMatchObject({ status: 'failed' });
  });

  it('fails the batch on a line Anthropic cannot express, naming line and field, before anything is sent', async () => {
    const lines = [chatLine('ok', 'anthropic/claude-haiku-4-5', 'fine'), chatLine('bad', 'anthropic/claude-haiku-4-5', 'x', { n: 3 })];
    const { created } = await runBatch(client, lines);
    expect(created).toMatchObject({ status: 'failed', mode: 'native', provider: 'anthropic' });
    expect(created.errors?.data).toEqual([expect.objectContaining({ line: 2, param: 'body.n', code: 'unsupported_parameter' })]);
    expect(anthropic.requests.filter((request) => request.path === '/v1/messages/batches')).toEqual([]);
  });

  it('keeps the last known state when a refresh fails', async () => {
    openai.hold = true;
    const input = await client.files.create({ file: await toFile(Buffer.from(jsonl([chatLine('k', 'gpt-4o-mini', 'k')])), 'in.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const running = await waitFor(client, created.id, (batch) => batch.status === 'in_progress');
    openai.batches.clear(); // the provider now answers 404 for it
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await client.batches.retrieve(created.id)).toMatchObject({ status: 'in_progress', request_counts: running.request_counts });
  });

  it('emulates a batch whose lines resolve to more than one provider', async () => {
    const { created, done } = await runBatch(client, [chatLine('m1', 'gpt-4o-mini', 'one'), chatLine('m2', 'groq/llama-3.1-8b-instant', 'two')]);
    expect(created).toMatchObject({ mode: 'emulated', provider: null });
    expect(done.status).toBe('completed');
    expect([...openai.requests, ...groq.requests].filter((request) => request.path.endsWith('/batches'))).toEqual([]);
  });
});

describe('/v1/batches with BATCH_MODE=emulate against a provider with a batch API', () => {
  let openai: FakeOpenAIBatches;
  let gateway: TestGateway;

  beforeAll(async () => {
    openai = await FakeOpenAIBatches.start({ apiKey: KEY, models: ['gpt-4o-mini'] });
    gateway = await startTestGateway({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: openai.baseUrl, BATCH_MODE: 'emulate' });
  });

  afterAll(async () => {
    await gateway?.close();
    await openai?.close();
  });

  it('runs the items on Switchyard, never touching the provider batch API', async () => {
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const { created, done } = await runBatch(client, [chatLine('e1', 'gpt-4o-mini', 'one'), chatLine('e2', 'gpt-4o-mini', 'two')]);
    expect(created).toMatchObject({ mode: 'emulated', provider: 'openai' });
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: 2, completed: 2, failed: 0 } });
    expect(openai.requests.filter((request) => request.path.includes('/batches') || request.path.includes('/files'))).toEqual([]);
    expect(openai.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(2);
  });
});
