import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeOpenAIUpstream, TOOL_ARGUMENTS } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const UPSTREAM_KEY = 'sk-upstream-secret';

describe('POST /v1/chat/completions through the gateway (official openai SDK)', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start({ apiKey: UPSTREAM_KEY, models: ['gpt-4o-mini', 'gpt-4o'] });
    gateway = await startTestGateway({ OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: upstream.baseUrl, BODY_SIZE_LIMIT: '64kb' });
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

  it('answers a non-streaming completion and forwards the body with only the model rewritten', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2, ...{ custom_vendor_field: { a: 1 } } } as never, {
        headers: { 'X-Request-ID': 'req-nonstream-1' },
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0].message.content).toEqual(expect.any(String));
    expect(response.headers.get('x-request-id')).toBe('req-nonstream-1');

    const received = upstream.requests.find((request) => request.path === '/v1/chat/completions')!;
    expect(received.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2, custom_vendor_field: { a: 1 } });
    expect(received.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(received.headers['x-request-id']).toBe('req-nonstream-1');

    const row = await usageRow('req-nonstream-1');
    expect(row).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini', endpoint: '/v1/chat/completions', status: 200, stream: false, keyId: 'master' });
    expect(row!.inputTokens).toBe(data.usage!.prompt_tokens);
    expect(row!.outputTokens).toBe(data.usage!.completion_tokens);
  });

  it('generates a request id when the client sends none', async () => {
    const { response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(upstream.requests.at(-1)!.headers['x-request-id']).toBe(id);
  });

  it('streams events, hides the usage chunk the client did not ask for, and still meters usage', async () => {
    upstream.setDefault({ kind: 'ok', content: 'one two three four five six', reasoningTokens: 3 });
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'Count' }], stream: true },
      { headers: { 'X-Request-ID': 'req-stream-1' } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('one two three four five six');
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
    expect(upstream.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });

    const row = await usageRow('req-stream-1');
    expect(row).toMatchObject({ stream: true, status: 200, reasoningTokens: 3 });
    expect(row!.outputTokens).toBeGreaterThan(0);
    expect(row!.timeToFirstTokenMs).not.toBeNull();
  });

  it('shows the usage chunk to a client that asked for it', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('relays streamed tool calls so the SDK helper reassembles them', async () => {
    upstream.setDefault({ kind: 'ok', toolCalls: true });
    const runner = client.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0].message.tool_calls![0];
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    // The fake streams these arguments in 8-character fragments: the SDK must get them back whole.
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual(JSON.parse(TOOL_ARGUMENTS));
  });

  it('lists models as provider/model ids in the OpenAI list shape', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id).sort()).toEqual(['openai/gpt-4o', 'openai/gpt-4o-mini']);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: expect.any(String) });
  });

  describe("errors, as the SDK's typed errors", () => {
    it('missing model → 400 naming the param, recorded as one usage row', async () => {
      const error = await client.chat.completions.create({ messages: [{ role: 'user', content: 'x' }] } as never, { headers: { 'X-Request-ID': 'req-400' } }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe('model');
      expect(error.type).toBe('invalid_request_error');
      expect(await usageRow('req-400')).toMatchObject({ status: 400, errorType: 'invalid_request', provider: null });
    });

    it('missing messages → 400 naming the param', async () => {
      const error = await client.chat.completions.create({ model: 'gpt-4o' } as never).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe('messages');
    });

    it('malformed JSON → 400 in the OpenAI envelope', async () => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
        body: '{"model": "gpt-4o", ',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { message: expect.stringContaining('JSON'), type: 'invalid_request_error', param: null, code: null } });
    });

    it('unknown model → 404 model_not_found', async () => {
      const error = await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.code).toBe('model_not_found');
    });

    it('body over the limit → 413', async () => {
      const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(413);
      expect(upstream.requests).toHaveLength(0);
    });

    it('upstream 4xx is passed through with its status and message', async () => {
      upstream.enqueue({
        kind: 'status',
        status: 422,
        body: { error: { message: 'Unsupported value: temperature', type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' } },
      });
      const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.UnprocessableEntityError);
      expect(error.message).toContain('Unsupported value: temperature');
      expect(error.param).toBe('temperature');
      expect(upstream.requests).toHaveLength(1);
    });

    it('upstream 429 is retried, then passed through as a RateLimitError', async () => {
      upstream.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429, retryAfter: '0' })));
      const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(upstream.requests).toHaveLength(3);
    });

    it('upstream 5xx and connection resets → 502', async () => {
      upstream.enqueue({ kind: 'status', status: 500 });
      const serverError = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(serverError).toBeInstanceOf(OpenAI.InternalServerError);
      expect(serverError.status).toBe(502);

      upstream.enqueue({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' });
      const reset = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(reset.status).toBe(502);
    });

    it('does not leak the upstream key or the gateway key in errors', async () => {
      upstream.enqueue({ kind: 'status', status: 401 });
      const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(JSON.stringify(error.error)).not.toContain(UPSTREAM_KEY);
      expect(JSON.stringify(error.error)).not.toContain(TEST_MASTER_KEY);
    });
  });

  describe('retries', () => {
    it('retries 503 and a reset before the first byte, invisibly to the client', async () => {
      upstream.enqueue({ kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'ok', content: 'recovered' });
      const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
      expect(completion.choices[0].message.content).toBe('recovered');
      expect(upstream.requests).toHaveLength(3);
    });

    it('retries a stream that fails before its first event', async () => {
      upstream.enqueue({ kind: 'reset-mid-stream', afterEvents: 0 }, { kind: 'ok', content: 'second try' });
      const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('second try');
    });

    it('ends a stream broken mid-way with an error event, never a hang', async () => {
      upstream.enqueue({ kind: 'reset-mid-stream', afterEvents: 2 });
      const stream = await client.chat.completions.create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true },
        { headers: { 'X-Request-ID': 'req-midstream' } },
      );
      const consume = async () => {
        for await (const _chunk of stream);
      };
      await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);
      expect(await usageRow('req-midstream')).toMatchObject({ status: 200, errorType: 'upstream_stream_error' });
    });

    it('ends a malformed stream with an error event', async () => {
      upstream.enqueue({ kind: 'malformed-sse' });
      const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true });
      const consume = async () => {
        for await (const _chunk of stream);
      };
      await expect(consume()).rejects.toThrow(/malformed/);
    });
  });

  describe('auth', () => {
    it('rejects a missing or wrong key with 401 on /v1/*', async () => {
      const anonymous = new OpenAI({ apiKey: 'wrong-key', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      await expect(anonymous.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      await expect(anonymous.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
      const noKey = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      expect(noKey.status).toBe(401);
      expect(((await noKey.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
      expect(upstream.requests).toHaveLength(0);
    });

    it('keeps /health, /metrics and /swagger public', async () => {
      for (const path of ['/health', '/health/ready', '/metrics', '/swagger/json']) {
        expect((await fetch(`${gateway.url}${path}`)).status).toBe(200);
      }
    });
  });
});
