import OpenAI from 'openai';
import { ModelInventory } from '@app/providers';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream } from '../support/fake-anthropic';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const UPSTREAM_KEY = 'sk-ant-upstream-secret';
const MODEL = 'claude-sonnet-4-5-20250929';
const WEATHER_TOOL = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe('Anthropic provider through POST /v1/chat/completions (official openai SDK)', () => {
  let upstream: FakeAnthropicUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await FakeAnthropicUpstream.start({ apiKey: UPSTREAM_KEY, modelsPageSize: 1 });
    gateway = await startTestGateway({ ANTHROPIC_API_KEY: UPSTREAM_KEY, ANTHROPIC_BASE_URL: upstream.url });
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

  it('translates a non-streaming completion both ways and records usage', async () => {
    upstream.enqueue({ kind: 'ok', content: 'Bonjour !', usage: { input_tokens: 12, output_tokens: 4, cache_read_input_tokens: 100, cache_creation_input_tokens: 8 } });
    const { data, response } = await client.chat.completions
      .create(
        {
          model: `anthropic/${MODEL}`,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Say hi in French' },
          ],
          temperature: 0.3,
          stop: 'END',
          user: 'u-42',
        },
        { headers: { 'X-Request-ID': 'req-anthropic-json' } },
      )
      .withResponse();
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ object: 'chat.completion', model: MODEL, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Bonjour !' } }] });
    expect(data.usage).toEqual({
      prompt_tokens: 120,
      completion_tokens: 4,
      total_tokens: 124,
      prompt_tokens_details: { cached_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 0 },
      // The upstream's cache writes, under LiteLLM's name: part of prompt_tokens, priced apart.
      cache_creation_input_tokens: 8,
    });

    const [sent] = upstream.messageRequests;
    expect(sent.body).toEqual({
      model: MODEL,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hi in French' }],
      max_tokens: gateway.config.upstream.defaultMaxTokens,
      temperature: 0.3,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-42' },
    });
    expect(sent.headers['x-api-key']).toBe(UPSTREAM_KEY);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers.authorization).toBeUndefined();

    const row = await usageRow('req-anthropic-json');
    expect(row).toMatchObject({ provider: 'anthropic', model: MODEL, status: 200, stream: false, inputTokens: 120, outputTokens: 4, cachedTokens: 100 });
  });

  it('streams text deltas, ends with finish_reason and meters the hidden usage chunk', async () => {
    upstream.enqueue({ kind: 'ok', content: 'one two three four', usage: { input_tokens: 7, output_tokens: 5, cache_read_input_tokens: 20 } });
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: [{ role: 'user', content: 'Count' }], stream: true },
      { headers: { 'X-Request-ID': 'req-anthropic-stream' } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('one two three four');
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
    expect(upstream.messageRequests[0].body.stream).toBe(true);
    expect(upstream.messageRequests[0].headers.accept).toBe('text/event-stream');

    const row = await usageRow('req-anthropic-stream');
    expect(row).toMatchObject({ stream: true, status: 200, inputTokens: 27, outputTokens: 5, cachedTokens: 20 });
  });

  it('shows the usage chunk to a client that asked for it', async () => {
    upstream.enqueue({ kind: 'ok', content: 'hi', usage: { input_tokens: 3, output_tokens: 2 } });
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
    // As OpenAI does with include_usage: every chunk before the usage chunk carries `usage: null`.
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(0, -1)) expect(chunk).toHaveProperty('usage', null);
  });

  it('adds no usage key to the chunks of a client that did not ask for usage', async () => {
    upstream.enqueue({ kind: 'ok', content: 'hi', usage: { input_tokens: 3, output_tokens: 2 } });
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk).not.toHaveProperty('usage');
  });

  it('streams parallel tool calls that the SDK helper reassembles', async () => {
    upstream.enqueue({
      kind: 'ok',
      content: [
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_use', id: 'toolu_paris', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_rome', name: 'get_weather', input: { city: 'Rome', detail: { unit: 'celsius' } } },
      ],
    });
    const final = await client.chat.completions
      .stream({ model: MODEL, messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }], tools: [WEATHER_TOOL], tool_choice: 'required', parallel_tool_calls: false })
      .finalChatCompletion();
    const choice = final.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Checking both.');
    expect(choice.message.tool_calls).toEqual([
      { id: 'toolu_paris', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_rome', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome","detail":{"unit":"celsius"}}' } },
    ]);
    const sent = upstream.messageRequests[0].body;
    expect(sent.tools).toEqual([{ name: 'get_weather', input_schema: WEATHER_TOOL.function.parameters }]);
    expect(sent.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it('sends a tool_result round trip as alternating Anthropic turns', async () => {
    upstream.enqueue({ kind: 'ok', content: 'Paris 21°C, Rome 25°C.' });
    const completion = await client.chat.completions.create({
      model: MODEL,
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: 'toolu_paris', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'toolu_rome', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_paris', content: '21°C' },
        { role: 'tool', tool_call_id: 'toolu_rome', content: [{ type: 'text', text: '25°C' }] },
      ],
    });
    expect(completion.choices[0].message.content).toBe('Paris 21°C, Rome 25°C.');
    expect(upstream.messageRequests[0].body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_paris', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_rome', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_paris', content: '21°C' },
          { type: 'tool_result', tool_use_id: 'toolu_rome', content: [{ type: 'text', text: '25°C' }] },
        ],
      },
    ]);
  });

  it('maps reasoning_effort to extended thinking and returns reasoning_content (JSON and stream)', async () => {
    const answer = {
      kind: 'ok' as const,
      content: [
        { type: 'thinking' as const, thinking: 'Two plus two is four.' },
        { type: 'text' as const, text: '4' },
      ],
    };
    upstream.enqueue(answer, answer);
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: '2+2?' }], reasoning_effort: 'low', max_completion_tokens: 500 });
    const message = completion.choices[0].message as unknown as { content: string; reasoning_content: string };
    expect(message).toMatchObject({ content: '4', reasoning_content: 'Two plus two is four.' });
    expect(upstream.messageRequests[0].body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 1524 });

    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: '2+2?' }], reasoning_effort: 'high', stream: true });
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      content += delta?.content ?? '';
    }
    expect({ reasoning, content }).toEqual({ reasoning: 'Two plus two is four.', content: '4' });
    const budget = upstream.messageRequests[1].body.thinking.budget_tokens;
    expect(upstream.messageRequests[1].body.max_tokens).toBeGreaterThan(budget);
  });

  it('sends image parts as base64 and url image sources', async () => {
    await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
    });
    expect(upstream.messageRequests[0].body.messages[0].content).toEqual([
      { type: 'text', text: 'Compare these' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('answers response_format json_schema through a forced tool, as text', async () => {
    upstream.enqueue({ kind: 'ok', content: [{ type: 'tool_use', name: 'city', input: { name: 'Paris', country: 'FR' } }] });
    const schema = { type: 'object', properties: { name: { type: 'string' }, country: { type: 'string' } }, required: ['name', 'country'] };
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Capital of France?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema } },
    });
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: '{"name":"Paris","country":"FR"}' } });
    expect(completion.choices[0].message.tool_calls).toBeUndefined();
    const sent = upstream.messageRequests[0].body;
    expect(sent.tools).toEqual([{ name: 'city', description: expect.any(String), input_schema: schema }]);
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'city' });
  });

  it('lists the provider models from its paginated listing', async () => {
    await gateway.app.get(ModelInventory).refresh(5_000);
    expect(upstream.requests.filter((request) => request.path === '/v1/models').map((request) => request.url)).toEqual([
      '/v1/models?limit=1000',
      '/v1/models?limit=1000&after_id=claude-sonnet-4-5-20250929',
    ]);
    const page = await client.models.list();
    expect(page.data.map((model) => model.id).sort()).toEqual(['anthropic/claude-haiku-4-5-20251001', 'anthropic/claude-sonnet-4-5-20250929']);
  });
});
