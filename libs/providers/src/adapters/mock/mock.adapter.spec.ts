import { buildConfig, type ProviderConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import type { ChatCompletionResult, JsonResult, StreamResult } from '../provider-adapter';
import { MockAdapter } from './mock.adapter';

function adapterWith(env: Record<string, string> = {}): MockAdapter {
  const config = buildConfig({ DATA_DIR: '/tmp', ...env });
  return new MockAdapter(config.providers.find((provider) => provider.type === 'mock') as ProviderConfig, config.upstream);
}

const context = (signal = AbortSignal.timeout(20_000)) => ({ requestId: 'req-mock', signal });
const chat = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'An earlier question' },
    { role: 'assistant', content: 'An earlier answer' },
    { role: 'user', content: [{ type: 'text', text: 'Hello there, mock provider!' }] },
  ],
  ...extra,
});
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer', minimum: 2 } },
      required: ['city'],
    },
  },
};

function json(result: ChatCompletionResult): Record<string, any> {
  expect(result.kind).toBe('json');
  return JSON.parse((result as JsonResult).body.toString('utf8'));
}

async function collect(result: ChatCompletionResult): Promise<{ events: Record<string, any>[]; error?: unknown }> {
  expect(result.kind).toBe('stream');
  const events: Record<string, any>[] = [];
  try {
    for await (const data of (result as StreamResult).events) events.push(JSON.parse(data));
  } catch (error) {
    return { events, error };
  }
  return { events };
}

describe('MockAdapter', () => {
  const adapter = adapterWith();

  it('echoes the last user message as an OpenAI chat.completion with real-looking usage', async () => {
    const result = (await adapter.chatCompletion({ body: chat('echo'), stream: false }, context())) as JsonResult;
    const body = json(result);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'echo',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there, mock provider!' }, finish_reason: 'stop' }],
    });
    expect(body.id).toMatch(/^chatcmpl-mock[0-9a-f]{24}$/);
    expect(body.usage.prompt_tokens).toBeGreaterThan(10);
    expect(body.usage.completion_tokens).toBeGreaterThan(3);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    expect(result.usage).toEqual(body.usage);
  });

  it('is deterministic: the same request gets the same bytes, another request another id', async () => {
    const first = (await adapter.chatCompletion({ body: chat('echo'), stream: false }, context())) as JsonResult;
    const second = (await adapter.chatCompletion({ body: chat('echo'), stream: false }, context())) as JsonResult;
    expect(second.body.equals(first.body)).toBe(true);
    const other = json(await adapter.chatCompletion({ body: chat('echo', { messages: [{ role: 'user', content: 'Something else' }] }), stream: false }, context()));
    expect(other.id).not.toBe(json(first).id);
    expect(other.choices[0].message.content).toBe('Something else');
  });

  it('streams chat.completion.chunk events: role first, content deltas, a finish_reason chunk, then the usage chunk', async () => {
    const { events, error } = await collect(await adapter.chatCompletion({ body: chat('echo'), stream: true }, context()));
    expect(error).toBeUndefined();
    expect(events.every((event) => event.object === 'chat.completion.chunk')).toBe(true);
    expect(events[0].choices[0].delta).toMatchObject({ role: 'assistant', content: '' });
    const content = events.map((event) => event.choices[0]?.delta?.content ?? '').join('');
    expect(content).toBe('Hello there, mock provider!');
    expect(events.filter((event) => event.choices[0]?.delta?.content).length).toBeGreaterThan(1);
    expect(events.at(-2)!.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(events.at(-1)).toMatchObject({ choices: [] });
    const whole = json(await adapter.chatCompletion({ body: chat('echo'), stream: false }, context()));
    expect(events.at(-1)!.usage).toEqual(whole.usage);
    expect(new Set(events.map((event) => event.id))).toEqual(new Set([whole.id]));
  });

  it('cuts the answer at max_tokens with finish_reason length', async () => {
    const body = json(await adapter.chatCompletion({ body: chat('echo', { max_tokens: 2 }), stream: false }, context()));
    expect(body.choices[0].finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(2);
    expect('Hello there, mock provider!'.startsWith(body.choices[0].message.content)).toBe(true);
  });

  it('with model tool calls the first tool, arguments derived from its schema, with stable ids in JSON and stream', async () => {
    const request = chat('tool', { tools: [WEATHER_TOOL, { type: 'function', function: { name: 'other' } }] });
    const body = json(await adapter.chatCompletion({ body: request, stream: false }, context()));
    const call = body.choices[0].message.tool_calls[0];
    expect(body.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { content: null } });
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(call.id).toMatch(/^call_mock[0-9a-f]{24}$/);
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Hello there, mock provider!', unit: 'celsius', days: 2 });

    const { events } = await collect(await adapter.chatCompletion({ body: request, stream: true }, context()));
    expect(events[0].choices[0].delta.tool_calls[0]).toEqual({ index: 0, id: call.id, type: 'function', function: { name: 'get_weather', arguments: '' } });
    const deltas = events.slice(1).flatMap((event) => event.choices[0]?.delta?.tool_calls ?? []);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((delta: any) => delta.function.arguments).join('')).toBe(call.function.arguments);
    expect(events.at(-2)!.choices[0].finish_reason).toBe('tool_calls');
  });

  it('with model tool answers with text once the last message is the tool result, and refuses a request without tools', async () => {
    const request = chat('tool', { tools: [WEATHER_TOOL] });
    request.messages.push({ role: 'tool', content: 'Sunny, 21°C', tool_call_id: 'call_1' } as never);
    const body = json(await adapter.chatCompletion({ body: request, stream: false }, context()));
    expect(body.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'The tool answered: Sunny, 21°C' } });
    await expect(adapter.chatCompletion({ body: chat('tool'), stream: false }, context())).rejects.toMatchObject({ status: 400, param: 'tools' });
  });

  it('fails like a real provider: fail-429 is a rate limit with Retry-After 1, fail-503 a 502 from an upstream 503', async () => {
    const limited = await adapter.chatCompletion({ body: chat('fail-429'), stream: true }, context()).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(UpstreamFailure);
    expect(limited).toMatchObject({ reason: 'status', kind: 'rate_limited', status: 429, upstreamStatus: 429, retryAfterMs: 1000 });
    const down = await adapter.chatCompletion({ body: chat('fail-503'), stream: false }, context()).catch((error: unknown) => error);
    expect(down).toMatchObject({ reason: 'status', status: 502, upstreamStatus: 503, retryAfterMs: 1000 });
    const refused = await adapter.embeddings({ body: { model: 'fail-401', input: 'x' } }, context()).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 401, upstreamStatus: 401, code: 'invalid_api_key', retryAfterMs: undefined });
  });

  it('slow-<duration> waits before the first byte, and a client that leaves cancels the wait', async () => {
    const startedAt = Date.now();
    await adapter.chatCompletion({ body: chat('slow-300ms'), stream: false }, context());
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);

    const controller = new AbortController();
    const pending = adapter.chatCompletion({ body: chat('slow-10m'), stream: true }, context(controller.signal));
    const abortedAt = Date.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ reason: 'aborted' });
    expect(Date.now() - abortedAt).toBeLessThan(5_000);
  });

  it('a wait longer than HTTP_FIRST_BYTE_TIMEOUT fails as a first-byte timeout', async () => {
    const impatient = adapterWith({ HTTP_FIRST_BYTE_TIMEOUT: '50ms' });
    await expect(impatient.chatCompletion({ body: chat('slow-10m'), stream: false }, context())).rejects.toMatchObject({ reason: 'first_byte_timeout', status: 504 });
  });

  it('reset-mid-stream breaks the stream after three events, before any finish_reason, even for a one-word answer', async () => {
    for (const body of [chat('reset-mid-stream'), chat('reset-mid-stream', { messages: [{ role: 'user', content: 'Hi' }] })]) {
      const { events, error } = await collect(await adapter.chatCompletion({ body, stream: true }, context()));
      expect(error).toBeInstanceOf(UpstreamFailure);
      expect(error).toMatchObject({ reason: 'reset', status: 502 });
      expect(events.length).toBeGreaterThanOrEqual(1);
      expect(events.length).toBeLessThanOrEqual(3);
      expect(events.some((event) => event.choices[0]?.finish_reason)).toBe(false);
    }
    await expect(adapter.chatCompletion({ body: chat('reset-mid-stream'), stream: false }, context())).rejects.toMatchObject({ reason: 'reset' });
  });

  it('takes directives after the model name, and names a bad one as the client error on model', async () => {
    const { events } = await collect(await adapter.chatCompletion({ body: chat('echo; reset-after=2; tps=1000'), stream: true }, context()));
    expect(events).toHaveLength(2);
    const failed = await adapter.chatCompletion({ body: chat('echo;fail=418;retry-after=3'), stream: false }, context()).catch((error: unknown) => error);
    expect(failed).toMatchObject({ status: 418, retryAfterMs: 3000 });
    for (const model of ['echo;bogus=1', 'echo;latency=200', 'fail-200', 'slow-2x;']) {
      const error = await adapter.chatCompletion({ body: chat(model), stream: false }, context()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ status: 400, param: 'model' });
    }
  });

  it('applies MOCK_DIRECTIVES to every call, under the directives of the model name', async () => {
    const failing = adapterWith({ MOCK_PROVIDER: 'true', MOCK_DIRECTIVES: 'fail=503; retry-after=2' });
    await expect(failing.chatCompletion({ body: chat('echo'), stream: false }, context())).rejects.toMatchObject({ upstreamStatus: 503, retryAfterMs: 2000 });
    await expect(failing.chatCompletion({ body: chat('fail-429'), stream: false }, context())).rejects.toMatchObject({ upstreamStatus: 429, retryAfterMs: 1000 });
  });

  it('reads the x-mock-directive header over the model name and MOCK_DIRECTIVES, and names a bad one', async () => {
    const withHeader = (directives: string) => ({ ...context(), directives });
    // The header wins over the model's own directives (fail=418 over fail-429's 429) and over the defaults.
    const failing = adapterWith({ MOCK_PROVIDER: 'true', MOCK_DIRECTIVES: 'fail=503' });
    await expect(failing.chatCompletion({ body: chat('fail-429'), stream: false }, withHeader('fail=418; retry-after=7'))).rejects.toMatchObject({
      upstreamStatus: 418,
      retryAfterMs: 7000,
    });
    const { events } = await collect(await adapter.chatCompletion({ body: chat('echo'), stream: true }, withHeader('reset-after=2')));
    expect(events).toHaveLength(2);
    await expect(adapter.embeddings({ body: { model: 'echo', input: 'x' } }, withHeader('fail=429'))).rejects.toMatchObject({ upstreamStatus: 429 });
    const bad = await adapter.chatCompletion({ body: chat('echo'), stream: false }, withHeader('speed=fast')).catch((caught: unknown) => caught);
    expect(bad).toBeInstanceOf(GatewayError);
    expect(bad).toMatchObject({ status: 400, param: 'x-mock-directive' });
    // An empty header changes nothing.
    expect(json(await adapter.chatCompletion({ body: chat('echo'), stream: false }, withHeader('')))).toMatchObject({
      choices: [{ message: { content: 'Hello there, mock provider!' } }],
    });
  });

  it('embeds deterministically: same text same unit vector, float and base64 carrying the same float32 numbers', async () => {
    const embed = async (input: unknown, extra: Record<string, unknown> = {}) =>
      JSON.parse((await adapter.embeddings({ body: { model: 'echo', input, ...extra } }, context())).body.toString('utf8'));
    const floats = await embed(['alpha', 'beta', 'alpha']);
    const [a, b, again] = floats.data.map((item: { embedding: number[] }) => item.embedding);
    expect(a).toHaveLength(1536);
    expect(again).toEqual(a);
    expect(b).not.toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
    const encoded = await embed('alpha', { encoding_format: 'base64' });
    const bytes = Buffer.from(encoded.data[0].embedding, 'base64');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4))).toEqual(a);
    expect((await embed('alpha', { dimensions: 8 })).data[0].embedding).toHaveLength(8);
    await expect(embed('alpha', { dimensions: 0 })).rejects.toMatchObject({ status: 400, param: 'dimensions' });
  });

  it('lists its static inventory and accepts parametric names beyond it', async () => {
    const ids = (await adapter.listModels()).map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['echo', 'tool', 'fail-429', 'slow-2s', 'reset-mid-stream']));
    expect(['fail-418', 'slow-750ms', 'echo;ttft=1s'].every((model) => adapter.acceptsModel(model))).toBe(true);
    expect(['gpt-4o', 'echoes', ''].some((model) => adapter.acceptsModel(model))).toBe(false);
  });

  it('answers native passthrough requests as an OpenAI-compatible server, failures as HTTP answers', async () => {
    const read = async (response: { body: AsyncIterable<unknown> }) => {
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    };
    const body = JSON.stringify(chat('echo', { stream: true }));
    const streamed = await adapter.forward({ method: 'POST', path: '/chat/completions', headers: {}, body }, context());
    expect(streamed.headers['content-type']).toMatch(/text\/event-stream/);
    const text = await read(streamed);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('"choices":[]'); // no include_usage asked
    const limited = await adapter.forward({ method: 'POST', path: '/chat/completions', headers: {}, body: JSON.stringify(chat('fail-429')) }, context());
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '1']);
    expect(JSON.parse(await read(limited)).error.code).toBe('rate_limit_exceeded');
    const missing = await adapter.forward({ method: 'GET', path: '/files', headers: {} }, context());
    expect(missing.status).toBe(404);
  });
});
