import OpenAI from 'openai';
import { DEFAULT_CONTENT, FakeOpenAIUpstream, type OpenAIErrorEnvelope, splitContent, TOOL_ARGUMENTS } from './support/fake-upstream';

// The fake is the ground truth every gateway e2e test compares against, so it is itself checked
// with the official SDK, the client a real user would point at OpenAI.
describe('FakeOpenAIUpstream', () => {
  const apiKey = 'sk-fake-upstream';
  const messages = [
    { role: 'system' as const, content: 'You are terse.' },
    { role: 'user' as const, content: 'Say hello to the test suite.' },
  ];
  const promptTokens = Math.ceil(('You are terse.'.length + 'Say hello to the test suite.'.length) / 4);
  const weatherTool = {
    type: 'function' as const,
    function: { name: 'lookup_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } },
  };
  let fake: FakeOpenAIUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await FakeOpenAIUpstream.start({ apiKey });
    // No retries: each test scripts exactly the answers it expects the SDK to see.
    client = new OpenAI({ apiKey, baseURL: fake.baseUrl, maxRetries: 0, timeout: 5_000, logLevel: 'off' });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('listens on loopback and lists the configured models', async () => {
    expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(models.data[0]).toMatchObject({ object: 'model', owned_by: 'system' });
    expect((await client.models.retrieve('gpt-4o')).id).toBe('gpt-4o');
  });

  it('answers a chat completion with the request model and deterministic usage, and records the request', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'X-Request-ID': 'req-test-1' } });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: DEFAULT_CONTENT, refusal: null } });
    const completionTokens = Math.ceil(DEFAULT_CONTENT.length / 4);
    expect(completion.usage).toMatchObject({
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(fake.requests).toHaveLength(1);
    const [recorded] = fake.requests;
    expect(recorded).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages } });
    expect(recorded.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(recorded.headers['x-request-id']).toBe('req-test-1');
    expect(JSON.parse(recorded.rawBody)).toEqual(recorded.body);
  });

  it('streams chunks in OpenAI order, with usage on a last choice-less chunk when include_usage is set', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    const pieces = splitContent(DEFAULT_CONTENT);
    expect(pieces.length).toBeGreaterThan(3);
    expect(chunks).toHaveLength(pieces.length + 3);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.slice(1, -2).map((chunk) => chunk.choices[0].delta.content)).toEqual(pieces);
    expect(chunks.at(-2)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    for (const chunk of chunks.slice(0, -1)) expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o', usage: null });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: promptTokens, completion_tokens: Math.ceil(DEFAULT_CONTENT.length / 4) });
  });

  it('writes each SSE event separately and terminates with data: [DONE]; no usage field without include_usage', async () => {
    const response = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await response.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)));
    expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it('streams a tool call that the SDK reassembles, naming the first declared tool', async () => {
    fake.enqueue({ kind: 'ok', toolCalls: true });
    const final = await client.chat.completions.stream({ model: 'gpt-4o-mini', messages, tools: [weatherTool] }).finalChatCompletion();
    const choice = final.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([{ id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'lookup_weather', arguments: TOOL_ARGUMENTS } }]);
  });

  it('answers a non-streamed tool call, and reports reasoning and cached tokens', async () => {
    fake.enqueue({ kind: 'ok', toolCalls: true, reasoningTokens: 64, cachedTokens: 2 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(completion.choices[0].message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: TOOL_ARGUMENTS } });
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(64);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(2);
    expect(completion.usage?.completion_tokens).toBe(64 + Math.ceil(('get_weather'.length + TOOL_ARGUMENTS.length) / 4));
  });

  it('consumes queued behaviours first in first out, then falls back to the default', async () => {
    fake.enqueue({ kind: 'ok', content: 'first' }, { kind: 'ok', content: 'second' });
    fake.setDefault({ kind: 'ok', content: 'default' });
    const contents = [];
    for (let index = 0; index < 3; index++) {
      contents.push((await client.chat.completions.create({ model: 'gpt-4o-mini', messages })).choices[0].message.content);
    }
    expect(contents).toEqual(['first', 'second', 'default']);
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect((await client.chat.completions.create({ model: 'gpt-4o-mini', messages })).choices[0].message.content).toBe(DEFAULT_CONTENT);
  });

  it('rejects a wrong API key with OpenAI’s 401 envelope without consuming the queue', async () => {
    fake.enqueue({ kind: 'ok', content: 'kept' });
    const intruder = new OpenAI({ apiKey: 'sk-wrong', baseURL: fake.baseUrl, maxRetries: 0, logLevel: 'off' });
    const error = await intruder.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key', param: null });
    expect(JSON.stringify((error as Error).message)).not.toContain('sk-wrong');
    expect((await client.chat.completions.create({ model: 'gpt-4o-mini', messages })).choices[0].message.content).toBe('kept');
  });

  it('answers a scripted status with the error envelope and retry-after header', async () => {
    fake.enqueue(
      { kind: 'status', status: 429, retryAfter: '7' },
      { kind: 'status', status: 503, body: { error: { message: 'custom', type: 'server_error', param: null, code: null } } },
    );
    const limited = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((caught: unknown) => caught);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = limited as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.headers.get('retry-after')).toBe('7');
    expect(rateLimit.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    const overloaded = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }).catch((caught: unknown) => caught);
    expect(overloaded).toBeInstanceOf(OpenAI.InternalServerError);
    expect((overloaded as InstanceType<typeof OpenAI.InternalServerError>).message).toContain('custom');
  });

  it('resets the connection without an answer', async () => {
    fake.enqueue({ kind: 'reset' });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('resets mid-stream after the scripted number of events', async () => {
    fake.enqueue({ kind: 'reset-mid-stream', afterEvents: 3 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const received: unknown[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk);
      })(),
    ).rejects.toThrow();
    expect(received).toHaveLength(3);
  });

  it('cuts a non-streamed answer short when reset mid-body', async () => {
    fake.enqueue({ kind: 'reset-mid-stream' });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages })).rejects.toThrow();
  });

  it('delays the first byte', async () => {
    fake.enqueue({ kind: 'slow-first-byte', delayMs: 300 });
    const started = Date.now();
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(completion.choices[0].message.content).toBe(DEFAULT_CONTENT);
  });

  it('spaces SSE events by eventDelayMs', async () => {
    fake.enqueue({ kind: 'ok', content: 'a b c', eventDelayMs: 60 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const arrivals: number[] = [];
    for await (const _chunk of stream) arrivals.push(Date.now());
    // 5 chunks (role, 3 words, finish) plus [DONE]: at least 5 gaps of 60 ms between first and last write.
    expect(arrivals).toHaveLength(5);
    expect(arrivals[4] - arrivals[0]).toBeGreaterThanOrEqual(4 * 60 - 10);
  });

  it('sends an SSE event that is not JSON, which the SDK rejects', async () => {
    fake.enqueue({ kind: 'malformed-sse' });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const received: unknown[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk);
      })(),
    ).rejects.toThrow(SyntaxError);
    expect(received).toHaveLength(1);
  });

  it('hangs until the client gives up, and still closes promptly', async () => {
    const hanging = await FakeOpenAIUpstream.start();
    try {
      hanging.setDefault({ kind: 'hang' });
      const impatient = new OpenAI({ apiKey: 'unused', baseURL: hanging.baseUrl, maxRetries: 0, timeout: 200, logLevel: 'off' });
      const started = Date.now();
      // Under Jest the SDK reports its own timeout as a plain APIConnectionError: fetch's AbortError
      // comes from another realm, so the SDK's `instanceof Error` check fails and the name is lost.
      await expect(impatient.chat.completions.create({ model: 'gpt-4o-mini', messages })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      const pending = impatient.chat.completions.create({ model: 'gpt-4o-mini', messages }, { timeout: 10_000 }).catch((caught: unknown) => caught);
      await waitFor(() => hanging.requests.length === 2);
      const closing = Date.now();
      await hanging.close();
      expect(Date.now() - closing).toBeLessThan(1_000);
      expect(await pending).toBeInstanceOf(OpenAI.APIConnectionError);
    } finally {
      await hanging.close();
    }
  });

  it('answers malformed requests and unknown routes with OpenAI errors, without consuming the queue', async () => {
    fake.enqueue({ kind: 'status', status: 500 });
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const invalid = await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', headers, body: '{"model":' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as OpenAIErrorEnvelope).error.type).toBe('invalid_request_error');
    const noMessages = await fetch(`${fake.baseUrl}/chat/completions`, { method: 'POST', headers, body: '{"model":"gpt-4o"}' });
    expect(((await noMessages.json()) as OpenAIErrorEnvelope).error).toMatchObject({ param: 'messages', code: 'missing_required_parameter' });
    const unknown = await fetch(`${fake.baseUrl}/nothing-here`, { headers });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as OpenAIErrorEnvelope).error.message).toBe('Invalid URL (GET /v1/nothing-here)');
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
  });
});

// Patient enough for a loaded 2-core CI run (2 s once ran out before the fake saw a second request).
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
