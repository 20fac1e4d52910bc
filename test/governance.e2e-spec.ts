import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { fixedPricingYaml } from './support/fixed-pricing';
import { HandlerUpstream, sendJsonReply } from './support/handler-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const PRICING = fixedPricingYaml(['openai/gpt-4o-mini', 'groq/llama-3.3-70b']);

const COMPLETION = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 30, completion_tokens: 10, total_tokens: 40 },
};

let upstream: HandlerUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await HandlerUpstream.start();
  upstream.handle = (request, res) => {
    if (request.path.endsWith('/models'))
      sendJsonReply(res, 200, {
        object: 'list',
        data: [
          { id: 'gpt-4o-mini', object: 'model' },
          { id: 'llama-3.3-70b', object: 'model' },
        ],
      });
    else sendJsonReply(res, 200, COMPLETION);
  };
  gateway = await startTestGateway(
    {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `${upstream.origin}/v1`,
      OPENAI_MODELS: 'gpt-4o-mini',
      GROQ_API_KEY: 'gsk-test',
      GROQ_BASE_URL: `${upstream.origin}/openai/v1`,
      GROQ_MODELS: 'llama-3.3-70b',
      UPSTREAM_MAX_RETRIES: '0',
      RATE_LIMITS: 'user:/rpm rpm=10; user:/claude rpm=2',
      BUDGET_SPEND_FLUSH_INTERVAL: '50ms',
      // Batches run on Switchyard's workers here (the fake has no batch API), one item at a time.
      BATCH_MODE: 'emulate',
      BATCH_CONCURRENCY: '1',
    },
    { routingYaml: PRICING },
  );
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

const openai = (userPath: string) => new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-switchyard-user-path': userPath } });
const chat = (userPath: string) => openai(userPath).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });
const admin = (method: string, path: string, body?: object) =>
  fetch(`${gateway.url}/admin/budgets${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });

async function budgetOf(userPath: string): Promise<{ spent_micros: number; remaining_micros: number; period_start: string; period_end: string }> {
  const list = (await (await admin('GET', '')).json()) as {
    data: { user_path: string; spent_micros: number; remaining_micros: number; period_start: string; period_end: string }[];
  };
  return list.data.find((budget) => budget.user_path === userPath)!;
}

describe('rate limits through the official SDKs', () => {
  it('the 11th request of a 10 RPM limit is a typed RateLimitError with retry-after; admitted ones carry the headers', async () => {
    const responses = [];
    for (let i = 0; i < 10; i++)
      responses.push(
        await openai('/rpm/alice')
          .chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
          .withResponse(),
      );
    const last = responses[9].response.headers;
    expect([last.get('x-ratelimit-limit-requests'), last.get('x-ratelimit-remaining-requests')]).toEqual(['10', '0']);
    expect(last.get('x-ratelimit-reset-requests')).toMatch(/^(\d+(\.\d+)?s|\d+ms)$/);
    const error = await chat('/rpm/bob').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const limited = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(limited.message).toContain("user path '/rpm'");
    expect(Number(limited.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers?.get('retry-after-ms'))).toBeGreaterThan(0);
  });

  it('counts /v1/messages in the Anthropic dialect, with anthropic-ratelimit-* headers', async () => {
    const client = new Anthropic({ apiKey: TEST_MASTER_KEY, baseURL: gateway.url, maxRetries: 0, defaultHeaders: { 'x-switchyard-user-path': '/claude' } });
    const create = () => client.messages.create({ model: 'openai/gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const first = await create();
    expect(first.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
    expect(first.response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await create();
    const error = await create().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(Number((error as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('budgets through the official SDKs', () => {
  it('charges chat, passthrough and background Responses to the same user-path budget, then refuses with budget_exceeded', async () => {
    const put = await admin('PUT', '', { user_path: '/acme', period: 'daily', amount_micros: 1_000_000 });
    expect(put.status).toBe(200);
    await chat('/acme/team/u1');
    // The true cost of a chat call: 30 input + 2 × 10 output.
    expect((await budgetOf('/acme')).spent_micros).toBe(50);
    const passthrough = await fetch(`${gateway.url}/p/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json', 'x-switchyard-user-path': '/acme/team' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(passthrough.status).toBe(200);
    await passthrough.text();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await budgetOf('/acme')).spent_micros).toBe(100);
    const queued = await openai('/acme').responses.create({ model: 'groq/llama-3.3-70b', input: 'Work', background: true, max_output_tokens: 16 });
    expect(queued.status).toBe('queued');
    let done = queued;
    while (done.status === 'queued' || done.status === 'in_progress') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = await openai('/acme').responses.retrieve(queued.id);
    }
    expect(done.status).toBe('completed');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The queued answer released its reservation; the run charged its true cost when it ended, to
    // the user path that queued it (1 µ$ per input token, 2 per output token).
    const trueCost = done.usage!.input_tokens + 2 * done.usage!.output_tokens;
    expect(trueCost).toBeGreaterThan(0);
    const afterBackground = (await budgetOf('/acme')).spent_micros;
    expect(afterBackground).toBe(100 + trueCost);
    const today = await budgetOf('/acme');
    expect(Date.parse(today.period_end) - Date.parse(today.period_start)).toBe(86_400_000);
    await admin('PUT', '', { user_path: '/acme', period: 'daily', amount_micros: afterBackground });
    const error = await chat('/acme/team/u2').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    expect((error as Error).message).toContain("user path '/acme'");
    expect((await admin('POST', '/reset', { user_path: '/acme' })).status).toBe(200);
    await expect(chat('/acme/team/u2')).resolves.toMatchObject({ object: 'chat.completion' });
  });

  it('refuses a bad budget with a 400 naming the field, and 404s an unknown one', async () => {
    const bad = await admin('PUT', '', { user_path: '/x', period: 'hourly', amount_micros: 5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('period');
    const both = await admin('PUT', '', { user_path: '/x', key_id: 'k', period: 'daily', amount_micros: 5 });
    expect(both.status).toBe(400);
    expect((await admin('DELETE', '?user_path=/nobody')).status).toBe(404);
    await admin('PUT', '', { key_id: 'k1', period_seconds: 60, amount_micros: 5 });
    expect(await (await admin('DELETE', '?key_id=k1')).json()).toMatchObject({ object: 'budget.deleted', deleted: true });
  });
});

describe('a managed key with its own limits and budget', () => {
  async function createKey(body: object): Promise<{ id: string; value: string }> {
    const response = await fetch(`${gateway.url}/admin/auth-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as { id: string; value: string };
  }
  const keyed = (value: string) => new OpenAI({ apiKey: value, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 });

  it('the 11th request of a 10 RPM key is a typed RateLimitError naming the key, with retry-after and the limit headers', async () => {
    const key = await createKey({ name: 'rpm-10', limits: { requests_per_minute: 10, tokens_per_minute: 100_000, max_parallel: 4 } });
    const client = keyed(key.value);
    for (let i = 0; i < 9; i++) await ask(client);
    const tenth = await ask(client).withResponse();
    const headers = tenth.response.headers;
    expect([headers.get('x-ratelimit-limit-requests'), headers.get('x-ratelimit-remaining-requests'), headers.get('x-ratelimit-limit-tokens')]).toEqual(['10', '0', '100000']);
    expect(headers.get('x-ratelimit-reset-tokens')).toMatch(/^(\d+(\.\d+)?s|\d+m[\d.]+s|\d+ms)$/);
    const error = await ask(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as Error).message).toContain(`key '${key.id}'`);
    expect(Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('files calls count against the key’s requests per minute, not its tokens per minute', async () => {
    // 1 token per minute: a files call that reserved any tokens (e.g. a default output bound) would be refused.
    const key = await createKey({ name: 'files-rpm', limits: { requests_per_minute: 3, tokens_per_minute: 1 } });
    const client = keyed(key.value);
    const file = await client.files.create({ file: await toFile(Buffer.from('{"custom_id":"a"}\n'), 'in.jsonl'), purpose: 'batch' });
    await client.files.retrieve(file.id);
    const third = await client.files.list().withResponse();
    expect(third.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const error = await client.files.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as Error).message).toContain(`key '${key.id}'`);
  });

  it('batches calls count against the key’s requests per minute too, refused in the OpenAI envelope', async () => {
    const key = await createKey({ name: 'batches-rpm', limits: { requests_per_minute: 2, tokens_per_minute: 1 } });
    const client = keyed(key.value);
    await client.batches.list();
    const second = await client.batches.list().withResponse();
    expect(second.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const error = await client.batches.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    expect(Number((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a key over its budget gets a typed error naming the budget; the overrun of a reservation is charged in full', async () => {
    const key = await createKey({ name: 'budgeted' });
    // max_tokens 1: a call reserves its input estimate + 2, but the upstream reports 30 + 2 × 10 = 50.
    expect((await admin('PUT', '', { key_id: key.id, period_seconds: 3600, amount_micros: 120 })).status).toBe(200);
    const client = keyed(key.value);
    const small = () => client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 });
    await small();
    await small();
    const error = await small().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    expect((error as Error).message).toContain(`key '${key.id}'`);
    const list = (await (await admin('GET', '')).json()) as { data: { key_id: string | null; spent_micros: number; remaining_micros: number }[] };
    expect(list.data.find((budget) => budget.key_id === key.id)).toMatchObject({ spent_micros: 100, remaining_micros: 20 });
  });
});

describe('emulated batch items against a key’s budget', () => {
  it('each item reserves before it runs and settles to its batch-priced cost; items past the budget fail with budget_exceeded', async () => {
    const created = await fetch(`${gateway.url}/admin/auth-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'batch-budget' }),
    });
    const key = (await created.json()) as { id: string; value: string };
    // Each item's true cost is 30 + 2 × 10 µ$ before the batch discount; 100 µ$ covers a few, not six.
    expect((await admin('PUT', '', { key_id: key.id, period_seconds: 3600, amount_micros: 100 })).status).toBe(200);
    const client = new OpenAI({ apiKey: key.value, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const requests = Array.from({ length: 6 }, (_, i) => ({
      custom_id: `item-${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 },
    }));
    let batch = await client.post<OpenAI.Batches.Batch>('/batches', { body: { endpoint: '/v1/chat/completions', completion_window: '24h', requests } });
    while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      batch = await client.batches.retrieve(batch.id);
    }
    expect(batch.status).toBe('completed');
    const succeeded = batch.request_counts!.completed;
    expect(succeeded).toBeGreaterThan(0);
    expect(batch.request_counts!.failed).toBeGreaterThan(0);
    const errors = (await (await client.files.content(batch.error_file_id!)).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { response: { status_code: number; body: { error: { code: string } } } });
    expect(errors.every((line) => line.response.status_code === 429 && line.response.body.error.code === 'budget_exceeded')).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 300)); // the usage writer's and the spend journal's flushes
    const list = (await (await admin('GET', '')).json()) as { data: { key_id: string | null; spent_micros: number; amount_micros: number }[] };
    const spent = list.data.find((budget) => budget.key_id === key.id)!.spent_micros;
    const usage = (await (await fetch(`${gateway.url}/admin/usage/keys?days=1`, { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } })).json()) as {
      data: { key_id: string | null; requests: number; cost_micros: number }[];
    };
    const billed = usage.data.find((row) => row.key_id === key.id)!;
    // Only the items that ran were billed, and the budget holds exactly what they cost.
    expect(billed.cost_micros).toBeGreaterThan(0);
    expect(spent).toBe(billed.cost_micros);
    expect(spent).toBeLessThanOrEqual(100);

    // A spent budget refuses the next batch outright, as it refuses any request.
    expect((await admin('PUT', '', { key_id: key.id, period_seconds: 3600, amount_micros: spent })).status).toBe(200);
    const refused = await client.post('/batches', { body: { endpoint: '/v1/chat/completions', completion_window: '24h', requests } }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
  });
});
