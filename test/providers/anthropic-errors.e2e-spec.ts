import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream } from '../support/fake-anthropic';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const UPSTREAM_KEY = 'sk-ant-upstream-secret';
const MODEL = 'claude-sonnet-4-5-20250929';
const ask = { model: MODEL, messages: [{ role: 'user' as const, content: 'x' }] };

describe('Anthropic provider: errors and broken streams, as the openai SDK sees them', () => {
  let upstream: FakeAnthropicUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await FakeAnthropicUpstream.start({ apiKey: UPSTREAM_KEY });
    // The base URL given with its /v1, as users copy it from Anthropic's docs.
    gateway = await startTestGateway({ ANTHROPIC_API_KEY: UPSTREAM_KEY, ANTHROPIC_BASE_URL: `${upstream.url}/v1`, ANTHROPIC_MODELS: MODEL });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  async function drain(stream: AsyncIterable<unknown>): Promise<void> {
    for await (const _chunk of stream);
  }

  it('reaches /v1/messages when the base URL already ends in /v1', async () => {
    await client.chat.completions.create(ask);
    expect(upstream.messageRequests.map((request) => request.url)).toEqual(['/v1/messages']);
  });

  it.each([
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['seed', { seed: 7 }],
    ['temperature', { temperature: 1.5 }],
    ['reasoning_effort', { reasoning_effort: 'extreme' }],
    ['messages[0].content[0]', { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }],
    ['response_format', { response_format: { type: 'json_object' }, tools: [{ type: 'function', function: { name: 'f' } }] }],
  ])('refuses what Anthropic cannot express with a 400 naming %s, without calling upstream', async (param, extra) => {
    const error = await client.chat.completions.create({ ...ask, ...extra } as never).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe(param);
    expect(upstream.messageRequests).toHaveLength(0);
  });

  it("passes an upstream 400 through with Anthropic's message and type", async () => {
    upstream.enqueue({ kind: 'status', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'messages.0.content: image too large' } } });
    const error = await client.chat.completions.create(ask).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain('messages.0.content: image too large');
    expect(error.type).toBe('invalid_request_error');
  });

  it('401 becomes an AuthenticationError that leaks no key', async () => {
    upstream.enqueue({ kind: 'status', status: 401 });
    const error = await client.chat.completions.create(ask).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.message).toContain('invalid x-api-key');
    expect(JSON.stringify(error.error)).not.toContain(UPSTREAM_KEY);
    expect(upstream.messageRequests).toHaveLength(1);
  });

  it('429 is retried, then surfaces as a RateLimitError', async () => {
    upstream.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429, retryAfter: '0' })));
    const error = await client.chat.completions.create(ask).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(upstream.messageRequests).toHaveLength(3);
  });

  it('529 overloaded is retried like a 503 and surfaces as a 502', async () => {
    upstream.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 529 })));
    const error = await client.chat.completions.create(ask).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(502);
    expect(error.message).toContain('Overloaded');
    expect(upstream.messageRequests).toHaveLength(3);

    upstream.enqueue({ kind: 'status', status: 529 }, { kind: 'ok', content: 'recovered' });
    const completion = await client.chat.completions.create(ask);
    expect(completion.choices[0].message.content).toBe('recovered');
  });

  it('an error event mid-stream ends the client stream with an error', async () => {
    upstream.enqueue({ kind: 'stream-error', afterEvents: 4, errorType: 'overloaded_error', message: 'Overloaded' });
    const stream = await client.chat.completions.create({ ...ask, stream: true }, { headers: { 'X-Request-ID': 'req-anthropic-midstream' } });
    await expect(drain(stream)).rejects.toThrow(/Overloaded/);
    expect(await usageRow('req-anthropic-midstream')).toMatchObject({ status: 200, errorType: 'upstream_stream_error' });
  });

  it('a stream that ends without message_stop is an error, never a complete answer', async () => {
    upstream.enqueue({ kind: 'truncated-stream', afterEvents: 5 });
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    await expect(drain(stream)).rejects.toThrow(/before it was complete/);
  });

  it('a connection reset mid-stream and a malformed event end the stream with an error', async () => {
    upstream.enqueue({ kind: 'reset-mid-stream', afterEvents: 4 });
    await expect(drain(await client.chat.completions.create({ ...ask, stream: true }))).rejects.toBeInstanceOf(OpenAI.APIError);
    upstream.enqueue({ kind: 'malformed-sse' });
    await expect(drain(await client.chat.completions.create({ ...ask, stream: true }))).rejects.toThrow(/malformed/);
  });

  it('embeddings are refused with a 400 naming the provider', async () => {
    const error = await client.embeddings.create({ model: MODEL, input: 'hello' }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain("'anthropic'");
    expect(upstream.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
  });
});
