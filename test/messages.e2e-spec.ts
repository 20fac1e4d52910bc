import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream, type FakeBlock } from './support/fake-anthropic';
import { startTestGateway, type TestGateway } from './support/gateway-harness';
import { CountTokensFront } from './support/messages/count-tokens-front';
import { type AnthropicClient, apiError, SDKS, type SentRequest } from './support/messages/sdk-clients';

const UPSTREAM_KEY = 'sk-ant-upstream-secret';
const MODEL = 'claude-sonnet-4-5-20250929';
const BETA = 'prompt-caching-2024-07-31,interleaved-thinking-2025-05-14';
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather by city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
  cache_control: { type: 'ephemeral' as const },
};
const ANSWER: FakeBlock[] = [
  { type: 'thinking', thinking: 'The user wants the weather, so I will call the tool.' },
  { type: 'text', text: 'Let me check that for you.' },
  { type: 'tool_use', id: 'toolu_fixed01', name: 'get_weather', input: { city: 'Paris' } },
];

describe.each(SDKS)('POST /v1/messages on an Anthropic provider (native) with $name', (sdk) => {
  let upstream: FakeAnthropicUpstream;
  let front: CountTokensFront;
  let gateway: TestGateway;
  let client: AnthropicClient;
  let sent: SentRequest[];

  beforeAll(async () => {
    upstream = await FakeAnthropicUpstream.start({ apiKey: UPSTREAM_KEY });
    front = await CountTokensFront.start(upstream, UPSTREAM_KEY);
    gateway = await startTestGateway({ ANTHROPIC_API_KEY: UPSTREAM_KEY, ANTHROPIC_BASE_URL: front.url, UPSTREAM_MAX_RETRIES: '1' });
    ({ client, sent } = sdk.create(gateway.url));
  });

  afterAll(async () => {
    await gateway?.close();
    await front?.close();
    await upstream?.close();
  });

  beforeEach(() => {
    upstream.reset();
    front.countRequests.length = 0;
    sent.length = 0;
  });

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  const params = {
    model: `anthropic/${MODEL}`,
    max_tokens: 4096,
    system: [{ type: 'text' as const, text: 'You are a weather bot.', cache_control: { type: 'ephemeral' as const } }],
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Weather in Paris?', cache_control: { type: 'ephemeral' as const } }] }],
    tools: [WEATHER_TOOL],
    tool_choice: { type: 'auto' as const, disable_parallel_tool_use: true },
    thinking: { type: 'enabled' as const, budget_tokens: 2048 },
    metadata: { user_id: 'user-7' },
  };

  it('forwards the body byte for byte except the model, with the beta header, and relays the message', async () => {
    upstream.enqueue({
      kind: 'ok',
      id: 'msg_native01',
      content: ANSWER,
      usage: { input_tokens: 30, output_tokens: 12, cache_read_input_tokens: 200, cache_creation_input_tokens: 5 },
    });
    const { data, response } = await client.messages.create(params, { headers: { 'anthropic-beta': BETA, 'X-Request-ID': `req-native-json-${sdk.auth}` } }).withResponse();

    expect(data).toMatchObject({ id: 'msg_native01', type: 'message', role: 'assistant', model: MODEL, stop_reason: 'tool_use' });
    expect(data.content).toEqual([
      { type: 'thinking', thinking: ANSWER[0].type === 'thinking' ? ANSWER[0].thinking : '', signature: expect.any(String) },
      { type: 'text', text: 'Let me check that for you.' },
      { type: 'tool_use', id: 'toolu_fixed01', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(response.headers.get('request-id')).toBe(`req-native-json-${sdk.auth}`);

    const clientBody = sent[0].body;
    const [received] = upstream.messageRequests;
    expect(received.rawBody).toBe(clientBody.replace(`"model":"anthropic/${MODEL}"`, `"model":"${MODEL}"`));
    expect(received.rawBody).toContain('"cache_control":{"type":"ephemeral"}');
    expect(received.headers['anthropic-beta']).toBe(BETA);
    expect(received.headers['anthropic-version']).toBe(sdk.version);
    expect(received.headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(received.headers.authorization).toBeUndefined();
    // The SDK authenticated with the gateway key its own way.
    if (sdk.auth === 'bearer') expect(sent[0].headers.get('authorization')).toMatch(/^Bearer /);
    else expect(sent[0].headers.get('x-api-key')).toBeTruthy();

    const row = await usageRow(`req-native-json-${sdk.auth}`);
    expect(row).toMatchObject({
      provider: 'anthropic',
      model: MODEL,
      endpoint: '/v1/messages',
      status: 200,
      stream: false,
      inputTokens: 235,
      outputTokens: 12,
      cachedTokens: 200,
      errorType: null,
    });
  });

  it('pipes the event stream: the SDK reassembles the same message as from the JSON answer', async () => {
    const usage = { input_tokens: 30, output_tokens: 12, cache_read_input_tokens: 200, cache_creation_input_tokens: 0 };
    upstream.enqueue({ kind: 'ok', id: 'msg_same', content: ANSWER, usage }, { kind: 'ok', id: 'msg_same', content: ANSWER, usage, eventDelayMs: 2 });
    const json = await client.messages.create(params);
    const stream = client.messages.stream(params, { headers: { 'X-Request-ID': `req-native-stream-${sdk.auth}` } });
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    // The SDK adds its own parse of structured output (none here) to a streamed message.
    const { parsed_output: parsed, ...streamed } = (await stream.finalMessage()) as typeof json & { parsed_output?: unknown };

    expect(parsed ?? null).toBeNull();
    expect(streamed).toEqual(json);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(upstream.messageRequests[1].body.stream).toBe(true);
    const row = await usageRow(`req-native-stream-${sdk.auth}`);
    expect(row).toMatchObject({ stream: true, status: 200, inputTokens: 230, outputTokens: 12, cachedTokens: 200 });
    expect(row!.timeToFirstTokenMs).not.toBeNull();
  });

  it('carries a tool use round trip, the tool_result and thinking signature reaching the upstream as sent', async () => {
    upstream.enqueue({ kind: 'ok', content: ANSWER }, { kind: 'ok', content: 'It is 18°C in Paris.' });
    const first = await client.messages.create(params);
    const toolUse = first.content.find((block) => block.type === 'tool_use')!;
    const second = await client.messages.create({
      ...params,
      messages: [
        ...params.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: (toolUse as { id: string }).id, content: '18°C', cache_control: { type: 'ephemeral' } }] },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'It is 18°C in Paris.' }]);
    const body = upstream.messageRequests[1].body;
    expect(body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: expect.any(String), signature: (first.content[0] as { signature: string }).signature });
    expect(body.messages[2].content[0]).toEqual({ type: 'tool_result', tool_use_id: 'toolu_fixed01', content: '18°C', cache_control: { type: 'ephemeral' } });
  });

  it("relays the upstream's errors in Anthropic's envelope and status, as the SDK's typed errors", async () => {
    upstream.enqueue({ kind: 'status', status: 400 });
    const invalid = await apiError(client.messages.create(params));
    expect(invalid.status).toBe(400);
    expect(invalid.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'There was an issue with the format or content of your request.' } });
    expect(invalid.requestID).toBeTruthy();

    upstream.enqueue({ kind: 'status', status: 529 }, { kind: 'status', status: 529 });
    const overloaded = await apiError(client.messages.create(params));
    expect(overloaded.status).toBe(529);
    expect(overloaded.error.error.type).toBe('overloaded_error');
    expect(upstream.messageRequests).toHaveLength(3); // one 400, then 529 retried once

    upstream.enqueue({ kind: 'status', status: 429, retryAfter: '30' });
    const limited = await apiError(client.messages.create(params));
    expect([limited.status, sdk.isTyped(limited, 'RateLimitError'), limited.error.error.type]).toEqual([429, true, 'rate_limit_error']);

    upstream.enqueue({ kind: 'status', status: 500 });
    const server = await apiError(client.messages.create(params));
    expect([server.status, sdk.isTyped(server, 'InternalServerError'), server.error.error.type]).toEqual([500, true, 'api_error']);
  });

  it('refuses requests the gateway can judge itself, in the same envelope', async () => {
    const noMaxTokens = await apiError(client.messages.create({ model: MODEL, messages: params.messages } as any));
    expect([noMaxTokens.status, sdk.isTyped(noMaxTokens, 'BadRequestError'), noMaxTokens.error.error.type]).toEqual([400, true, 'invalid_request_error']);
    expect(noMaxTokens.error.error.message).toContain('max_tokens');

    const unknown = await apiError(client.messages.create({ ...params, model: 'claude-nonexistent' }));
    expect([unknown.status, sdk.isTyped(unknown, 'NotFoundError'), unknown.error.error.type]).toEqual([404, true, 'not_found_error']);

    const { client: stranger } = sdk.create(gateway.url, 'not-the-key');
    const denied = await apiError(stranger.messages.create(params));
    expect([denied.status, sdk.isTyped(denied, 'AuthenticationError'), denied.error.error.type]).toEqual([401, true, 'authentication_error']);
    expect(upstream.messageRequests).toHaveLength(0);
  });

  it("ends a broken stream with Anthropic's error event: the upstream's own, or the gateway's when the connection dies", async () => {
    upstream.enqueue({ kind: 'stream-error', errorType: 'overloaded_error', message: 'Overloaded' });
    const relayed = await apiError(client.messages.stream(params, { headers: { 'X-Request-ID': `req-native-midstream-${sdk.auth}` } }).finalMessage());
    expect(relayed.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(await usageRow(`req-native-midstream-${sdk.auth}`)).toMatchObject({ stream: true, errorType: 'upstream_stream_error' });

    upstream.enqueue({ kind: 'reset-mid-stream', afterEvents: 4 });
    const broken = await apiError(client.messages.stream(params).finalMessage());
    expect(broken.error).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining("'anthropic'") } });
  });

  it("counts tokens with the provider's own count_tokens, body forwarded except the model", async () => {
    const { tool_choice: _choice, thinking: _thinking, metadata: _metadata, max_tokens: _max, ...countParams } = params;
    const counted = await client.messages.countTokens(countParams, { headers: { 'anthropic-beta': BETA } });
    const [received] = front.countRequests;
    expect(received.rawBody).toBe(sent[0].body.replace(`"model":"anthropic/${MODEL}"`, `"model":"${MODEL}"`));
    expect(received.headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(received.headers['anthropic-beta']).toBe(BETA);
    expect(counted).toEqual({ input_tokens: (await import('./support/fake-anthropic')).promptTokensOf(received.body) + Math.ceil(JSON.stringify(received.body.tools).length / 4) });
  });
});
