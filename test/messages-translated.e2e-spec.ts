import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeGeminiUpstream } from './support/fake-gemini';
import { DEFAULT_CONTENT, FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, type TestGateway } from './support/gateway-harness';
import { type AnthropicClient, apiError, SDKS, type SentRequest } from './support/messages/sdk-clients';

const OPENAI_KEY = 'sk-openai-upstream';
const GEMINI_KEY = 'AIza-upstream';
const MODEL = 'gpt-4o-mini';
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather by city',
  input_schema: { type: 'object' as const, properties: { location: { type: 'string' }, unit: { type: 'string' } } },
};

/** The message minus what legitimately differs between two answers (its id) and what the SDK adds to streams. */
function comparable(message: Record<string, any>): Record<string, any> {
  const { id: _id, parsed_output: _parsed, stop_details: _details, ...rest } = message;
  return rest;
}

describe.each(SDKS)('POST /v1/messages on non-Anthropic providers (translated) with $name', (sdk) => {
  let openai: FakeOpenAIUpstream;
  let gemini: FakeGeminiUpstream;
  let gateway: TestGateway;
  let client: AnthropicClient;
  let sent: SentRequest[];

  beforeAll(async () => {
    openai = await FakeOpenAIUpstream.start({ apiKey: OPENAI_KEY });
    gemini = await FakeGeminiUpstream.start({ apiKey: GEMINI_KEY });
    gateway = await startTestGateway({
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: openai.baseUrl,
      GEMINI_API_KEY: GEMINI_KEY,
      GEMINI_BASE_URL: gemini.url,
      UPSTREAM_MAX_RETRIES: '1',
    });
    ({ client, sent } = sdk.create(gateway.url));
  });

  afterAll(async () => {
    await gateway?.close();
    await gemini?.close();
    await openai?.close();
  });

  beforeEach(() => {
    openai.reset();
    gemini.reset();
    sent.length = 0;
  });

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  const chatCalls = () => openai.requests.filter((request) => request.path === '/v1/chat/completions');

  it('translates the request to Chat Completions and answers as an Anthropic message, with usage recorded', async () => {
    openai.enqueue({ kind: 'ok', content: 'Bonjour !', cachedTokens: 4 });
    const { data, response } = await client.messages
      .create(
        {
          model: MODEL,
          max_tokens: 300,
          system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
          messages: [{ role: 'user', content: 'Say hi in French' }],
          // Still sent by applications written for older SDKs; 1.x's types no longer list it.
          temperature: 0.5,
          stop_sequences: ['END'],
          metadata: { user_id: 'user-9' },
        } as Parameters<AnthropicClient['messages']['create']>[0] as never,
        { headers: { 'X-Request-ID': `req-translated-json-${sdk.auth}` } },
      )
      .withResponse();

    expect(chatCalls()[0].body).toEqual({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hi in French' },
      ],
      max_tokens: 300,
      temperature: 0.5,
      stop: ['END'],
      user: 'user-9',
    });
    expect(chatCalls()[0].headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(data).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: 'Bonjour !' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 3 },
    });
    expect(response.headers.get('request-id')).toBe(`req-translated-json-${sdk.auth}`);
    const row = await usageRow(`req-translated-json-${sdk.auth}`);
    expect(row).toMatchObject({ provider: 'openai', model: MODEL, endpoint: '/v1/messages', status: 200, stream: false, inputTokens: 7, outputTokens: 3, cachedTokens: 4 });
  });

  it('streams the exact Anthropic event sequence, and the SDK reassembles the same message as the JSON call', async () => {
    const params = { model: MODEL, max_tokens: 100, messages: [{ role: 'user' as const, content: 'Hello there' }] };
    const json = await client.messages.create(params);
    const stream = client.messages.stream(params, { headers: { 'X-Request-ID': `req-translated-stream-${sdk.auth}` } });
    const events: Array<{ type: string; index?: number }> = [];
    stream.on('streamEvent', (event) => events.push({ type: event.type, index: (event as { index?: number }).index }));
    const streamed = await stream.finalMessage();

    expect(comparable(streamed)).toEqual(comparable(json));
    expect(json.content).toEqual([{ type: 'text', text: DEFAULT_CONTENT }]);
    const types = events.map((event) => event.type);
    // (The SDKs do not surface `ping`; its place in the sequence is covered by the unit spec.)
    expect(types.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(new Set(events.filter((event) => event.index !== undefined).map((event) => event.index))).toEqual(new Set([0]));
    expect(chatCalls()[1].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const row = await usageRow(`req-translated-stream-${sdk.auth}`);
    expect(row).toMatchObject({ stream: true, status: 200, inputTokens: json.usage.input_tokens, outputTokens: json.usage.output_tokens });
  });

  it('runs a tool use round trip: tool_calls come back as tool_use with parsed input, tool_result goes up as a tool message', async () => {
    const params = {
      model: MODEL,
      max_tokens: 100,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'any' as const, disable_parallel_tool_use: true },
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
    };
    openai.enqueue({ kind: 'ok', toolCalls: true }, { kind: 'ok', toolCalls: true });
    const json = await client.messages.create(params);
    const streamed = await client.messages.stream(params).finalMessage();
    const toolUse = { type: 'tool_use', id: expect.stringMatching(/^call_/), name: 'get_weather', input: { location: 'Paris', unit: 'celsius' } };
    expect(json).toMatchObject({ stop_reason: 'tool_use', content: [toolUse] });
    expect(comparable({ ...streamed, content: streamed.content.map((block) => ({ ...block, id: 'x' })) })).toEqual(
      comparable({ ...json, content: json.content.map((block) => ({ ...block, id: 'x' })) }),
    );
    expect(chatCalls()[0].body).toMatchObject({
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: WEATHER_TOOL.input_schema } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });

    openai.enqueue({ kind: 'ok', content: 'It is 18°C.' });
    const call = json.content[0] as { id: string };
    const answer = await client.messages.create({
      ...params,
      messages: [
        ...params.messages,
        { role: 'assistant', content: json.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: '18°C' }] }] },
      ],
    });
    expect(answer.content).toEqual([{ type: 'text', text: 'It is 18°C.' }]);
    expect(chatCalls()[2].body.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris","unit":"celsius"}' } }] },
      { role: 'tool', tool_call_id: call.id, content: '18°C' },
    ]);
  });

  it("turns thinking into reasoning and the provider's reasoning into thinking blocks (Gemini), stream and JSON alike", async () => {
    const params = {
      model: 'gemini-2.5-flash',
      max_tokens: 2000,
      thinking: { type: 'enabled' as const, budget_tokens: 8000 },
      messages: [{ role: 'user' as const, content: '2+2?' }],
    };
    gemini.enqueue({ kind: 'ok', text: 'It is 4.', thoughts: 'Adding two and two.' }, { kind: 'ok', text: 'It is 4.', thoughts: 'Adding two and two.' });
    const json = await client.messages.create(params);
    const streamed = await client.messages.stream(params).finalMessage();
    expect(json.content).toEqual([
      { type: 'thinking', thinking: 'Adding two and two.', signature: '' },
      { type: 'text', text: 'It is 4.' },
    ]);
    expect(comparable(streamed)).toEqual(comparable(json));
    expect(gemini.modelCalls[0].body.generationConfig.thinkingConfig).toMatchObject({ includeThoughts: true });
  });

  it('refuses what the provider cannot do with a 400 naming it, before calling upstream', async () => {
    const serverTool = await apiError(
      client.messages.create({ model: MODEL, max_tokens: 10, tools: [{ type: 'web_search_20250305', name: 'web_search' }] as any, messages: [{ role: 'user', content: 'news?' }] }),
    );
    expect([serverTool.status, sdk.isTyped(serverTool, 'BadRequestError'), serverTool.error.error.type]).toEqual([400, true, 'invalid_request_error']);
    expect(serverTool.error.error.message).toContain('web_search_20250305');
    const noMaxTokens = await apiError(client.messages.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] } as any));
    expect(noMaxTokens.error.error.message).toContain('max_tokens');
    expect(chatCalls()).toHaveLength(0);
  });

  it("maps the provider's failures to Anthropic's error types, before and during the stream", async () => {
    const params = { model: MODEL, max_tokens: 10, messages: [{ role: 'user' as const, content: 'x' }] };
    openai.enqueue({ kind: 'status', status: 429, retryAfter: '60' });
    const limited = await apiError(client.messages.create(params));
    expect([limited.status, sdk.isTyped(limited, 'RateLimitError'), limited.error.error.type]).toEqual([429, true, 'rate_limit_error']);

    openai.enqueue({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    const overloaded = await apiError(client.messages.create(params));
    expect([overloaded.status, overloaded.error.error.type]).toEqual([529, 'overloaded_error']);

    openai.enqueue({ kind: 'reset-mid-stream', afterEvents: 3 });
    const broken = await apiError(client.messages.stream(params, { headers: { 'X-Request-ID': `req-translated-broken-${sdk.auth}` } }).finalMessage());
    expect(broken.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    expect(await usageRow(`req-translated-broken-${sdk.auth}`)).toMatchObject({ stream: true, errorType: 'upstream_stream_error' });
  });

  it('estimates count_tokens locally for a provider without a counting endpoint', async () => {
    const small = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'Hello' }] });
    const large = await client.messages.countTokens({
      model: MODEL,
      system: 'You are a meticulous assistant who answers in full sentences.',
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'Hello, what is the weather like in Paris today and tomorrow?' }],
    });
    expect(small.input_tokens).toBeGreaterThan(0);
    expect(large.input_tokens).toBeGreaterThan(small.input_tokens + 20);
    expect(chatCalls()).toHaveLength(0);
  });
});
