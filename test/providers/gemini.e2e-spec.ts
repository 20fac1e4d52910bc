import OpenAI from 'openai';
import { ProviderRegistry } from '@app/providers';
import { UsageRepository, UsageWriter } from '@app/storage';
import { DEFAULT_GEMINI_TEXT, fakeEmbedding, fakeTokens, FakeGeminiUpstream, promptChars } from '../support/fake-gemini';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const GEMINI_KEY = 'AIza-upstream-secret';
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
      required: ['city'],
      additionalProperties: false,
      $schema: 'http://json-schema.org/draft-07/schema#',
    },
    strict: true,
  },
};

describe('Gemini provider through the gateway (official openai SDK)', () => {
  let upstream: FakeGeminiUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await FakeGeminiUpstream.start({ apiKey: GEMINI_KEY, maxPageSize: 2 });
    gateway = await startTestGateway({ GEMINI_API_KEY: GEMINI_KEY, GEMINI_BASE_URL: upstream.url, UPSTREAM_MAX_RETRIES: '2' });
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
  const lastCall = () => upstream.modelCalls.at(-1)!;

  it('lists the paginated Gemini catalogue without the models/ prefix, leaving out models that cannot chat or embed', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id).sort()).toEqual(['gemini/gemini-2.5-flash', 'gemini/gemini-2.5-pro', 'gemini/gemini-embedding-001']);
    const listings = upstream.requests.filter((request) => request.path === '/v1beta/models');
    expect(listings.every((request) => request.headers['x-goog-api-key'] === GEMINI_KEY)).toBe(true);
  });

  it('answers a non-streaming completion translated to generateContent', async () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'developer' as const, content: 'Answer in English.' },
      { role: 'user' as const, content: 'Hi' },
    ];
    const completion = await client.chat.completions.create(
      { model: 'gemini/gemini-2.5-flash', messages, max_tokens: 64, temperature: 0.3, top_p: 0.9, stop: 'END', seed: 7 },
      { headers: { 'X-Request-ID': 'gem-json-1' } },
    );
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gemini-2.5-flash');
    expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: DEFAULT_GEMINI_TEXT } });
    const call = lastCall();
    expect(call.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(call.headers['x-goog-api-key']).toBe(GEMINI_KEY);
    expect(call.headers.authorization).toBeUndefined();
    expect(call.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in English.' }] },
      generationConfig: { maxOutputTokens: 64, temperature: 0.3, topP: 0.9, seed: 7, stopSequences: ['END'] },
    });
    const prompt = fakeTokens(promptChars(call.body));
    expect(completion.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: fakeTokens(DEFAULT_GEMINI_TEXT.length),
      total_tokens: prompt + fakeTokens(DEFAULT_GEMINI_TEXT.length),
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(await usageRow('gem-json-1')).toMatchObject({ provider: 'gemini', model: 'gemini-2.5-flash', status: 200, stream: false, inputTokens: prompt });
  });

  it('streams text deltas, hides the usage chunk it was not asked for, and meters usage incl. cached and thoughts', async () => {
    upstream.setDefault({ kind: 'ok', text: 'one two three four five', usage: { cachedContentTokenCount: 3, thoughtsTokenCount: 5 } });
    const stream = await client.chat.completions.create(
      { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Count' }], stream: true },
      { headers: { 'X-Request-ID': 'gem-stream-1' } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('one two three four five');
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(lastCall().url).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    const row = await usageRow('gem-stream-1');
    expect(row).toMatchObject({ stream: true, status: 200, cachedTokens: 3, reasoningTokens: 5, outputTokens: fakeTokens(23) + 5 });
    expect(row!.timeToFirstTokenMs).not.toBeNull();
  });

  it('shows the usage-only chunk (last usageMetadata) to a client that asked for it', async () => {
    upstream.setDefault({ kind: 'ok', text: 'a b c d e f', usage: { promptTokenCount: 40, cachedContentTokenCount: 32, candidatesTokenCount: 6, thoughtsTokenCount: 10 } });
    const stream = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({
      prompt_tokens: 40,
      completion_tokens: 16,
      total_tokens: 56,
      prompt_tokens_details: { cached_tokens: 32 },
      completion_tokens_details: { reasoning_tokens: 10 },
    });
  });

  it('translates tools and tool_choice, and the SDK stream helper reassembles the streamed calls', async () => {
    upstream.setDefault({
      kind: 'ok',
      functionCalls: [
        { name: 'get_weather', args: { city: 'Paris' } },
        { name: 'get_weather', args: { city: 'Rome', unit: 'c' } },
      ],
    });
    const runner = client.chat.completions.stream({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const final = await runner.finalChatCompletion();
    const calls = final.choices[0].message.tool_calls!;
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(calls.map((call) => call.type === 'function' && [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Rome', unit: 'c' }],
    ]);
    expect(calls[0].id).toMatch(/^call_/);
    expect(calls[0].id).not.toBe(calls[1].id);
    expect(lastCall().body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Current weather',
            parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' }, unit: { type: 'STRING', format: 'enum', enum: ['c', 'f'] } }, required: ['city'] },
          },
        ],
      },
    ]);
    expect(lastCall().body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
  });

  it('completes a tool round trip: the function name is recovered from the earlier tool call', async () => {
    upstream.setDefault({ kind: 'ok', text: 'It is sunny in Paris.' });
    const completion = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_abc', content: '{"temp":21,"sky":"sunny"}' },
      ],
    });
    expect(completion.choices[0].message.content).toBe('It is sunny in Paris.');
    expect(lastCall().body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21, sky: 'sunny' } } }] },
    ]);
  });

  it('rejects a tool message whose tool_call_id matches no earlier call with a 400 naming messages', async () => {
    const error = await client.chat.completions
      .create({
        model: 'gemini-2.5-flash',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', tool_call_id: 'call_missing', content: 'ok' },
        ],
      })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('messages');
    expect(error.message).toContain('call_missing');
    expect(upstream.modelCalls).toHaveLength(0);
  });

  it('maps reasoning_effort to thinkingConfig and returns thought summaries as reasoning_content', async () => {
    upstream.setDefault({ kind: 'ok', text: '42', thoughts: 'Multiply six by seven.' });
    const completion = await client.chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: '6*7?' }], reasoning_effort: 'low' });
    expect(lastCall().body.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } });
    const message = completion.choices[0].message as unknown as Record<string, unknown>;
    expect(message.content).toBe('42');
    expect(message.reasoning_content).toBe('Multiply six by seven.');
    expect(completion.usage!.completion_tokens_details!.reasoning_tokens).toBe(fakeTokens('Multiply six by seven.'.length));
  });

  it('sends images inline (data URLs) or by URI (http URLs with a known type), and rejects an untyped URL', async () => {
    await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.JPG?size=large' } },
          ],
        },
      ],
    });
    expect(lastCall().body.contents[0].parts).toEqual([
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.JPG?size=large' } },
    ]);
    const error = await client.chat.completions
      .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/image' } }] }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('messages[0].content[0].image_url.url');
  });

  it('maps response_format json_schema to responseMimeType + responseSchema', async () => {
    upstream.setDefault({ kind: 'ok', text: '{"name":"Ada"}' });
    await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Name?' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'person',
          strict: true,
          schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: ['integer', 'null'] } }, required: ['name'], additionalProperties: false },
        },
      },
    });
    expect(lastCall().body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'OBJECT', properties: { name: { type: 'STRING' }, age: { type: 'INTEGER', nullable: true } }, required: ['name'] },
    });
  });

  it('maps finish reasons and blocked prompts', async () => {
    upstream.enqueue(
      { kind: 'ok', text: 'cut', finishReason: 'MAX_TOKENS' },
      { kind: 'ok', text: '', finishReason: 'SAFETY' },
      { kind: 'blocked', blockReason: 'PROHIBITED_CONTENT' },
    );
    const ask = () => client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] });
    expect((await ask()).choices[0].finish_reason).toBe('length');
    expect((await ask()).choices[0].finish_reason).toBe('content_filter');
    const blocked = await ask();
    expect(blocked.choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: null } });
  });

  it('forward() sends a native request with the Gemini key injected and any client key removed', async () => {
    const adapter = gateway.app.get(ProviderRegistry).get('gemini')!.adapter;
    const response = await adapter.forward(
      { method: 'GET', path: '/v1beta/models?pageSize=1&key=client-key', headers: { 'x-goog-api-key': 'client-key', accept: 'application/json' } },
      { requestId: 'gem-fwd-1', signal: AbortSignal.timeout(5000) },
    );
    expect(response.status).toBe(200);
    expect(((await response.body.json()) as { models: unknown[] }).models).toHaveLength(1);
    const received = upstream.requests.at(-1)!;
    expect(received.url).toBe('/v1beta/models?pageSize=1');
    expect(received.headers['x-goog-api-key']).toBe(GEMINI_KEY);
    expect(received.headers['x-request-id']).toBe('gem-fwd-1');
  });

  describe('embeddings', () => {
    it('embeds a single input with :embedContent (SDK default base64 decoding)', async () => {
      const result = await client.embeddings.create({ model: 'gemini-embedding-001', input: 'hello world' }, { headers: { 'X-Request-ID': 'gem-emb-1' } });
      expect(lastCall().path).toBe('/v1beta/models/gemini-embedding-001:embedContent');
      expect(lastCall().body).toEqual({ content: { parts: [{ text: 'hello world' }] } });
      expect(result.data).toHaveLength(1);
      fakeEmbedding('hello world').forEach((value, index) => expect(result.data[0].embedding[index]).toBeCloseTo(value, 5));
      expect(result.usage).toEqual({ prompt_tokens: fakeTokens(11), total_tokens: fakeTokens(11) });
      expect(await usageRow('gem-emb-1')).toMatchObject({ provider: 'gemini', status: 200, inputTokens: fakeTokens(11) });
    });

    it('embeds an array with :batchEmbedContents, in order, with dimensions and float encoding', async () => {
      const result = await client.embeddings.create({ model: 'gemini-embedding-001', input: ['a', 'bb', 'ccc'], dimensions: 4, encoding_format: 'float' });
      expect(lastCall().path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
      expect(lastCall().body.requests[1]).toEqual({ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'bb' }] }, outputDimensionality: 4 });
      expect(result.data.map((item) => [item.index, item.embedding])).toEqual([
        [0, fakeEmbedding('a', 4)],
        [1, fakeEmbedding('bb', 4)],
        [2, fakeEmbedding('ccc', 4)],
      ]);
    });

    it('rejects token-id input with a 400 naming input', async () => {
      const error = await client.embeddings.create({ model: 'gemini-embedding-001', input: [[1, 2, 3]], encoding_format: 'float' }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe('input');
    });
  });

  describe("errors, as the SDK's typed errors", () => {
    const ask = () => client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);

    it("INVALID_ARGUMENT → 400 with Gemini's message", async () => {
      upstream.enqueue({
        kind: 'status',
        status: 400,
        body: { error: { code: 400, message: '* GenerateContentRequest.generation_config.max_output_tokens: must be positive', status: 'INVALID_ARGUMENT' } },
      });
      const error = await ask();
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.message).toContain('max_output_tokens: must be positive');
      expect(error.code).toBe('INVALID_ARGUMENT');
    });

    it('PERMISSION_DENIED → 403, NOT_FOUND → 404', async () => {
      upstream.enqueue({ kind: 'status', status: 403 }, { kind: 'status', status: 404 });
      expect(await ask()).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(await ask()).toBeInstanceOf(OpenAI.NotFoundError);
    });

    it('RESOURCE_EXHAUSTED is retried, then surfaces as a RateLimitError', async () => {
      upstream.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 429 })));
      const error = await ask();
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(upstream.modelCalls).toHaveLength(3);
    });

    it('INTERNAL / UNAVAILABLE → 502 (after retries), and a retried 503 recovers invisibly', async () => {
      upstream.enqueue({ kind: 'status', status: 500 });
      const error = await ask();
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error.status).toBe(502);
      upstream.reset();
      upstream.enqueue({ kind: 'status', status: 503 }, { kind: 'ok', text: 'recovered' });
      expect((await ask()).choices[0].message.content).toBe('recovered');
    });

    it('n > 1 → 400 naming n, without calling Gemini', async () => {
      const error = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }], n: 2 }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe('n');
      expect(upstream.modelCalls).toHaveLength(0);
    });

    it('never leaks the Gemini key', async () => {
      upstream.enqueue({ kind: 'status', status: 400, body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } } });
      const error = await ask();
      expect(JSON.stringify(error.error)).not.toContain(GEMINI_KEY);
    });

    it.each([
      ['a reset mid-stream', { kind: 'reset-mid-stream' as const, afterEvents: 1 }, /.*/],
      ['a malformed event', { kind: 'malformed-sse' as const }, /malformed/],
      ['a stream that ends without a finishReason', { kind: 'truncated-stream' as const }, /before it was complete/],
      ['an error event mid-stream', { kind: 'error-mid-stream' as const, status: 503 }, /overloaded/],
    ])('ends the client stream with an error on %s, never a hang', async (_name, behaviour, message) => {
      upstream.enqueue(behaviour);
      const stream = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }], stream: true });
      const consume = async () => {
        for await (const _chunk of stream);
      };
      await expect(consume()).rejects.toThrow(message);
    });
  });
});
