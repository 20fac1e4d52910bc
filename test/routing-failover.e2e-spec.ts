import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream } from './support/fake-anthropic';
import { FakeGeminiUpstream } from './support/fake-gemini';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const CLAUDE = 'claude-sonnet-4-5-20250929';
const ROUTING = `
aliases:
  smart:
    targets:
      - { model: openai/gpt-4o, weight: 3 }
      - { model: groq/gpt-4o-mini, weight: 1 }
  primary:
    targets: [openai/gpt-4o]
    fallbacks: [groq/gpt-4o-mini]
  claude-then-gemini:
    targets: [anthropic/${CLAUDE}]
    fallbacks: [gemini/gemini-2.5-flash]
  embed:
    targets: [anthropic/${CLAUDE}]
    fallbacks: [gemini/gemini-embedding-001]
fallbacks:
  openai/gpt-4o-mini: [groq/gpt-4o-mini]
`;
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'Say hi' }] });

/** The OpenAI-dialect error event a stream ended with, or the error the SDK raised for it. */
async function drain(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): Promise<{ text: string; error?: unknown }> {
  let text = '';
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  } catch (error) {
    return { text, error };
  }
  return { text };
}

describe('aliases, fallback chains and failover before the first byte', () => {
  let openai: FakeOpenAIUpstream;
  let groq: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gemini: FakeGeminiUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  const env = () => ({
    OPENAI_API_KEY: 'sk-openai',
    OPENAI_BASE_URL: openai.baseUrl,
    GROQ_API_KEY: 'gsk-groq',
    GROQ_BASE_URL: groq.baseUrl,
    ANTHROPIC_API_KEY: 'sk-ant',
    ANTHROPIC_BASE_URL: anthropic.url,
    GEMINI_API_KEY: 'AIza-gemini',
    GEMINI_BASE_URL: gemini.url,
    UPSTREAM_MAX_RETRIES: '1',
    HTTP_FIRST_BYTE_TIMEOUT: '1s',
    // The suite's failures must not add up to an open circuit; one test opens it on purpose.
    CIRCUIT_BREAKER_THRESHOLD: '10000',
  });

  beforeAll(async () => {
    openai = await FakeOpenAIUpstream.start({ models: ['gpt-4o', 'gpt-4o-mini'] });
    groq = await FakeOpenAIUpstream.start({ models: ['gpt-4o-mini'] });
    anthropic = await FakeAnthropicUpstream.start();
    gemini = await FakeGeminiUpstream.start();
    gateway = await startTestGateway(env(), { routingYaml: ROUTING });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([openai?.close(), groq?.close(), anthropic?.close(), gemini?.close()]);
  });

  beforeEach(() => {
    for (const fake of [openai, groq, anthropic, gemini]) fake.reset();
  });

  const chatCalls = (fake: FakeOpenAIUpstream) => fake.requests.filter((request) => request.path === '/v1/chat/completions');
  const geminiCalls = () => gemini.requests.filter((request) => request.path.includes(':'));

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  async function failovers(): Promise<string> {
    return (await (await fetch(`${gateway.url}/metrics`)).text())
      .split('\n')
      .filter((line) => line.startsWith('switchyard_failovers_total{'))
      .join('\n');
  }

  it("fails over from a 503 to the fallback (JSON), after the first target's retries, and says who served", async () => {
    openai.setDefault({ kind: 'status', status: 503 });
    groq.enqueue({ kind: 'ok', content: 'from groq' });
    const { data, response } = await client.chat.completions.create(ask('primary'), { headers: { 'X-Request-ID': 'failover-503' } }).withResponse();
    expect(data.choices[0].message.content).toBe('from groq');
    expect(response.headers.get('x-switchyard-provider')).toBe('groq');
    expect(response.headers.get('x-switchyard-model')).toBe('gpt-4o-mini');
    expect(chatCalls(openai)).toHaveLength(2);
    expect(chatCalls(groq)[0].body.model).toBe('gpt-4o-mini');
    expect(await usageRow('failover-503')).toMatchObject({ provider: 'groq', model: 'gpt-4o-mini', status: 200 });
    expect(await failovers()).toMatch(/switchyard_failovers_total\{from="openai",to="groq",reason="server_error"\} [1-9]/);
  });

  it('fails over from a connection reset before the first event (stream)', async () => {
    openai.setDefault({ kind: 'reset' });
    groq.enqueue({ kind: 'ok', content: 'streamed by groq' });
    const { data: stream, response } = await client.chat.completions.create({ ...ask('primary'), stream: true }).withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('groq');
    expect(await drain(stream)).toEqual({ text: 'streamed by groq' });
    expect(await failovers()).toMatch(/from="openai",to="groq",reason="reset"\} [1-9]/);
  });

  it('fails over from a first-byte timeout along the chain of a plain model selector', async () => {
    openai.enqueue({ kind: 'slow-first-byte', delayMs: 5_000 });
    groq.enqueue({ kind: 'ok', content: 'fast groq' });
    const { data, response } = await client.chat.completions.create(ask('gpt-4o-mini'), { headers: { 'X-Request-ID': 'failover-timeout' } }).withResponse();
    expect(data.choices[0].message.content).toBe('fast groq');
    expect(response.headers.get('x-switchyard-provider')).toBe('groq');
    // Timeouts are not retried on the same target: one try, then the next target.
    expect(chatCalls(openai)).toHaveLength(1);
    expect(await failovers()).toMatch(/from="openai",to="groq",reason="timeout"\} [1-9]/);
  });

  it("does not fail over on the client's own error", async () => {
    openai.enqueue({ kind: 'status', status: 400 });
    const error = await client.chat.completions.create(ask('primary')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(chatCalls(groq)).toHaveLength(0);
  });

  it('does not fail over once a byte reached the client: a mid-stream failure ends the stream with an error event', async () => {
    openai.enqueue({ kind: 'reset-mid-stream', afterEvents: 2 });
    const stream = await client.chat.completions.create({ ...ask('primary'), stream: true });
    const { text, error } = await drain(stream);
    expect(text.length).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(chatCalls(groq)).toHaveLength(0);
  });

  it.each([false, true])('serves an OpenAI-dialect request from Gemini when the Anthropic target is overloaded (stream: %s)', async (stream) => {
    anthropic.setDefault({ kind: 'status', status: 529 });
    const requestId = `cross-dialect-${stream}`;
    const headers = { 'X-Request-ID': requestId };
    let text: string;
    let served: string | null;
    if (stream) {
      const { data, response } = await client.chat.completions.create({ ...ask('claude-then-gemini'), stream: true }, { headers }).withResponse();
      served = response.headers.get('x-switchyard-provider');
      text = (await drain(data)).text;
    } else {
      const { data, response } = await client.chat.completions.create(ask('claude-then-gemini'), { headers }).withResponse();
      served = response.headers.get('x-switchyard-provider');
      text = data.choices[0].message.content ?? '';
    }
    expect(served).toBe('gemini');
    expect(text.length).toBeGreaterThan(0);
    expect(anthropic.messageRequests).toHaveLength(2);
    expect(geminiCalls()[0].path).toContain('gemini-2.5-flash');
    expect(await usageRow(requestId)).toMatchObject({ provider: 'gemini', model: 'gemini-2.5-flash', stream });
    expect(await failovers()).toMatch(/from="anthropic",to="gemini",reason="server_error"\} [1-9]/);
  });

  it.each([false, true])('on /v1/messages forwards natively to Anthropic first, then translates for Gemini (stream: %s)', async (stream) => {
    anthropic.setDefault({ kind: 'status', status: 503 });
    const messages = new Anthropic({ apiKey: TEST_MASTER_KEY, baseURL: gateway.url, maxRetries: 0 });
    const params = { model: 'claude-then-gemini', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Say hi' }] };
    if (stream) {
      const events: string[] = [];
      for await (const event of await messages.messages.create({ ...params, stream: true })) events.push(event.type);
      expect(events[0]).toBe('message_start');
      expect(events.at(-1)).toBe('message_stop');
    } else {
      const { data, response } = await messages.messages.create(params).withResponse();
      expect(data.content[0]).toMatchObject({ type: 'text' });
      expect(data.model).toBe('claude-then-gemini');
      expect(response.headers.get('x-switchyard-provider')).toBe('gemini');
    }
    expect(anthropic.messageRequests.length).toBeGreaterThan(0);
    expect(geminiCalls()).toHaveLength(1);
  });

  it('runs a translated Responses request along the plan too', async () => {
    anthropic.setDefault({ kind: 'status', status: 503 });
    const { data, response } = await client.responses.create({ model: 'claude-then-gemini', input: 'Say hi' }).withResponse();
    expect(data.status).toBe('completed');
    expect(data.output_text.length).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('gemini');
  });

  it('moves embeddings on from a provider that has none to one that has', async () => {
    const { data, response } = await client.embeddings.create({ model: 'embed', input: 'hello' }).withResponse();
    expect(data.data[0].embedding.length).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('gemini');
    expect(await failovers()).toMatch(/from="anthropic",to="gemini",reason="unsupported"\} [1-9]/);
  });

  it('splits an alias with weights 3:1 within tolerance over 200 requests', async () => {
    const served: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => client.chat.completions.create(ask('smart')).withResponse()));
      for (const { response } of answers) served.push(response.headers.get('x-switchyard-provider') ?? 'none');
    }
    const toOpenAI = served.filter((provider) => provider === 'openai').length;
    expect(served.filter((provider) => provider !== 'openai' && provider !== 'groq')).toEqual([]);
    // Binomial(200, 0.75): mean 150, sd ≈ 6.1; the bounds are about 4.5 sd either side.
    expect(toOpenAI).toBeGreaterThanOrEqual(122);
    expect(toOpenAI).toBeLessThanOrEqual(178);
    expect(chatCalls(openai)).toHaveLength(toOpenAI);
    expect(chatCalls(groq)).toHaveLength(200 - toOpenAI);
  });

  it('lists the aliases in /v1/models and retrieves one', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model);
    expect(ids).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'smart', owned_by: 'switchyard' }), expect.objectContaining({ id: 'openai/gpt-4o' })]));
    expect(await client.models.retrieve('smart')).toMatchObject({ id: 'smart', object: 'model', owned_by: 'switchyard' });
    expect(await client.models.retrieve('openai/gpt-4o')).toMatchObject({ id: 'openai/gpt-4o', owned_by: expect.any(String) });
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('fails over past an open circuit without calling the broken provider', async () => {
    const breaking = await startTestGateway({ ...env(), UPSTREAM_MAX_RETRIES: '0', CIRCUIT_BREAKER_THRESHOLD: '1', CIRCUIT_BREAKER_COOLDOWN: '60s' }, { routingYaml: ROUTING });
    try {
      const breakingClient = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${breaking.url}/v1`, maxRetries: 0 });
      openai.setDefault({ kind: 'status', status: 500 });
      expect((await breakingClient.chat.completions.create(ask('primary'))).choices[0].message.content).toBeTruthy();
      const before = chatCalls(openai).length;
      const { response } = await breakingClient.chat.completions.create({ ...ask('primary'), stream: false }).withResponse();
      expect(response.headers.get('x-switchyard-provider')).toBe('groq');
      expect(chatCalls(openai)).toHaveLength(before);
      const metrics = await (await fetch(`${breaking.url}/metrics`)).text();
      expect(metrics).toMatch(/switchyard_failovers_total\{from="openai",to="groq",reason="circuit_open"\} [1-9]/);
    } finally {
      await breaking.close();
    }
  });
});
