import OpenAI from 'openai';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResponsesRepository, UsageRepository, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream } from './support/fake-anthropic';
import { FakeOpenAIUpstream, TOOL_ARGUMENTS } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const CLAUDE = 'claude-sonnet-4-5-20250929';
const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { location: { type: 'string' } } },
  strict: false,
};

// groq is an OpenAI-compatible type without a (full) Responses API: served by translation to chat.
describe('POST /v1/responses translated through chat completions (official openai SDK)', () => {
  let chat: FakeOpenAIUpstream;
  let anthropic: FakeAnthropicUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    chat = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: ['llama-3.3-70b'] });
    anthropic = await FakeAnthropicUpstream.start({ apiKey: 'ak' });
    gateway = await startTestGateway({
      LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent',
      GROQ_API_KEY: 'gk',
      GROQ_BASE_URL: chat.baseUrl,
      ANTHROPIC_API_KEY: 'ak',
      ANTHROPIC_BASE_URL: anthropic.url,
    });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await chat?.close();
    await anthropic?.close();
  });

  beforeEach(() => {
    chat.reset();
    anthropic.reset();
  });

  const repository = () => gateway.app.get(ResponsesRepository);

  async function storedRow(id: string, status?: string) {
    for (let tries = 0; tries < 100; tries++) {
      const row = await repository().find(id);
      if (row && (!status || row.status === status)) return row;
      await sleep(20);
    }
    throw new Error(`response ${id} not stored${status ? ` as ${status}` : ''}`);
  }

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  it('answers a plain request, translating instructions, input and limits, and stores it with usage', async () => {
    chat.enqueue({ kind: 'ok', content: 'Bonjour !' });
    const { data, response } = await client.responses
      .create(
        { model: 'groq/llama-3.3-70b', instructions: 'Be brief.', input: 'Say hi in French', max_output_tokens: 50, temperature: 0.2, metadata: { team: 'a' } },
        { headers: { 'X-Request-ID': 'resp-plain-1' } },
      )
      .withResponse();
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ object: 'response', status: 'completed', model: 'groq/llama-3.3-70b', instructions: 'Be brief.', metadata: { team: 'a' } });
    expect(data.id).toMatch(/^resp_/);
    expect(data.output_text).toBe('Bonjour !');
    expect(data.output[0]).toMatchObject({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Bonjour !' }] });
    expect(data.usage).toMatchObject({
      input_tokens: expect.any(Number),
      output_tokens: 3,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    });

    const sent = chat.requests.at(-1)!.body;
    expect(sent).toEqual({
      model: 'llama-3.3-70b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Say hi in French' }] },
      ],
      max_tokens: 50,
      temperature: 0.2,
    });

    const row = await storedRow(data.id);
    expect(row).toMatchObject({ status: 'completed', provider: 'groq', model: 'llama-3.3-70b', native: false, keyId: 'master' });
    expect(row.body.output).toEqual(data.output);
    expect(await repository().inputItems(data.id)).toEqual([
      expect.objectContaining({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hi in French' }] }),
    ]);
    expect(await usageRow('resp-plain-1')).toMatchObject({ endpoint: '/v1/responses', provider: 'groq', status: 200, outputTokens: 3 });
  });

  it('returns function calls and continues the chain with function_call_output via previous_response_id', async () => {
    chat.enqueue({ kind: 'ok', toolCalls: true });
    const first = await client.responses.create({
      model: 'groq/llama-3.3-70b',
      input: 'Weather in Paris?',
      tools: [WEATHER],
      tool_choice: { type: 'function', name: 'get_weather' },
    });
    const call = first.output.find((item) => item.type === 'function_call')!;
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: TOOL_ARGUMENTS, call_id: expect.stringMatching(/^call_/) });
    const sentTools = chat.requests.at(-1)!.body;
    expect(sentTools.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: WEATHER.parameters, strict: false } }]);
    expect(sentTools.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });

    chat.enqueue({ kind: 'ok', content: 'It is sunny.' });
    const second = await client.responses.create({
      model: 'groq/llama-3.3-70b',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: (call as { call_id: string }).call_id, output: '{"temp":21}' }],
    });
    expect(second.output_text).toBe('It is sunny.');
    expect(second.previous_response_id).toBe(first.id);
    expect(chat.requests.at(-1)!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: (call as { call_id: string }).call_id, type: 'function', function: { name: 'get_weather', arguments: TOOL_ARGUMENTS } }],
      },
      { role: 'tool', tool_call_id: (call as { call_id: string }).call_id, content: '{"temp":21}' },
    ]);
    expect((await storedRow(second.id)).previousResponseId).toBe(first.id);
  });

  it('maps text.format json_schema to response_format and reasoning effort to reasoning_effort', async () => {
    chat.enqueue({ kind: 'ok', content: '{"city":"Paris"}' });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const result = await client.responses.create({
      model: 'groq/llama-3.3-70b',
      input: 'City?',
      text: { format: { type: 'json_schema', name: 'city', schema, strict: true } },
      reasoning: { effort: 'low' },
    });
    expect(JSON.parse(result.output_text)).toEqual({ city: 'Paris' });
    const sent = chat.requests.at(-1)!.body;
    expect(sent.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'city', schema, strict: true } });
    expect(sent.reasoning_effort).toBe('low');
  });

  it('refuses hosted tools and unknown previous responses with errors naming them', async () => {
    const hosted = client.responses.create({ model: 'groq/llama-3.3-70b', input: 'x', tools: [{ type: 'web_search' }] as never });
    await expect(hosted).rejects.toMatchObject({ status: 400, param: 'tools[0].type', message: expect.stringContaining("'web_search'") });
    const missing = client.responses.create({ model: 'groq/llama-3.3-70b', input: 'x', previous_response_id: 'resp_nope' });
    await expect(missing).rejects.toMatchObject({ status: 404, param: 'previous_response_id' });
    expect(chat.requests).toHaveLength(0);
  });

  it('streams the Responses event sequence and stores the final response once the stream ends', async () => {
    chat.enqueue({ kind: 'ok', content: 'one two three' });
    const stream = client.responses.stream({ model: 'groq/llama-3.3-70b', input: 'Count' }, { headers: { 'X-Request-ID': 'resp-stream-1' } });
    const events: Array<{ type: string; sequence_number: number; response?: { output: unknown } }> = [];
    for await (const event of stream) events.push(event);
    const completed = events.find((event) => event.type === 'response.completed')!;
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('one two three');
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const types = events.map((event) => event.type).filter((type) => type !== 'response.output_text.delta');
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.filter((event) => event.type === 'response.output_text.delta')).toHaveLength(3);
    const row = await storedRow(final.id);
    expect(row.body.output).toEqual(completed.response!.output);
    expect(await usageRow('resp-stream-1')).toMatchObject({ stream: true, outputTokens: 4 });
  });

  it('streams function call arguments as their own events', async () => {
    chat.enqueue({ kind: 'ok', toolCalls: true });
    const stream = client.responses.stream({ model: 'groq/llama-3.3-70b', input: 'Weather?', tools: [WEATHER] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toContain('response.function_call_arguments.delta');
    expect(types).toContain('response.function_call_arguments.done');
    expect((await stream.finalResponse()).output[0]).toMatchObject({ type: 'function_call', arguments: TOOL_ARGUMENTS });
  });

  it('continues a chain started on one provider on another (Anthropic), rebuilding the prior turns', async () => {
    chat.enqueue({ kind: 'ok', content: 'My name is Llama.' });
    const first = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'Who are you?' });
    anthropic.enqueue({ kind: 'ok', content: 'You asked who I am.' });
    const second = await client.responses.create({ model: `anthropic/${CLAUDE}`, previous_response_id: first.id, input: 'What did I ask?', instructions: 'Answer briefly.' });
    expect(second.output_text).toBe('You asked who I am.');
    const sent = anthropic.requests.at(-1)!.body;
    expect(sent.system).toEqual(expect.anything());
    expect(sent.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(JSON.stringify(sent.messages[1])).toContain('My name is Llama.');
    const row = await storedRow(second.id);
    expect(row).toMatchObject({ provider: 'anthropic', previousResponseId: first.id });
  });

  it('retrieves, lists input items with pagination, and deletes a stored response', async () => {
    const input = ['a', 'b', 'c', 'd', 'e'].map((text) => ({ role: 'user' as const, content: text }));
    const created = await client.responses.create({ model: 'groq/llama-3.3-70b', input });
    await storedRow(created.id);
    const fetched = await client.responses.retrieve(created.id);
    expect(fetched).toMatchObject({ id: created.id, status: 'completed', output: created.output });

    const firstPage = await client.responses.inputItems.list(created.id, { limit: 2, order: 'asc' });
    expect(firstPage.data.map((item) => (item as { content: Array<{ text: string }> }).content[0].text)).toEqual(['a', 'b']);
    expect(firstPage.has_more).toBe(true);
    const all: string[] = [];
    for await (const item of client.responses.inputItems.list(created.id, { limit: 2, order: 'asc' })) all.push((item as { content: Array<{ text: string }> }).content[0].text);
    expect(all).toEqual(['a', 'b', 'c', 'd', 'e']);
    const desc = await client.responses.inputItems.list(created.id);
    expect(desc.data.map((item) => (item as { content: Array<{ text: string }> }).content[0].text)).toEqual(['e', 'd', 'c', 'b', 'a']);
    await expect(client.responses.inputItems.list(created.id, { limit: 0 })).rejects.toMatchObject({ status: 400, param: 'limit' });
    await expect(client.responses.inputItems.list(created.id, { order: 'up' as never })).rejects.toMatchObject({ status: 400, param: 'order' });

    await client.responses.delete(created.id);
    expect(await repository().find(created.id)).toBeNull();
    expect(await repository().inputItems(created.id)).toEqual([]);
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('runs a background response: queued at once, completed by the runner, with a usage record', async () => {
    chat.enqueue({ kind: 'ok', content: 'Done in the background.', delayMs: 200 });
    const queued = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'Work', background: true });
    expect(queued).toMatchObject({ status: 'queued', background: true });
    expect((await repository().find(queued.id))?.status).toMatch(/queued|in_progress/);
    let polled = queued;
    for (let tries = 0; tries < 100 && polled.status !== 'completed'; tries++) {
      await sleep(50);
      polled = await client.responses.retrieve(queued.id);
    }
    expect(polled).toMatchObject({ status: 'completed', background: true, output_text: 'Done in the background.' });
    expect((await storedRow(queued.id)).status).toBe('completed');
    expect(await usageRow(queued.id)).toMatchObject({ endpoint: '/v1/responses', provider: 'groq', status: 200, outputTokens: 6, errorType: null });
  });

  it('cancels a background response, aborting its upstream call, idempotently', async () => {
    chat.enqueue({ kind: 'ok', content: 'never', delayMs: 5_000 });
    const queued = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'Slow work', background: true });
    await storedRow(queued.id, 'in_progress');
    for (let tries = 0; tries < 100 && chat.requests.length === 0; tries++) await sleep(20);
    const cancelled = await client.responses.cancel(queued.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await client.responses.cancel(queued.id)).status).toBe('cancelled');
    await gateway.app.get(UsageWriter).flush();
    let usage = await usageRow(queued.id);
    for (let tries = 0; tries < 50 && !usage; tries++) {
      await sleep(50);
      usage = await usageRow(queued.id);
    }
    // The run stopped long before the upstream would have answered: its call was aborted.
    expect(usage).toMatchObject({ errorType: 'cancelled' });
    expect(usage!.latencyMs).toBeLessThan(4_000);
    expect((await repository().find(queued.id))?.status).toBe('cancelled');
    const done = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'x' });
    await expect(client.responses.cancel(done.id)).rejects.toMatchObject({ status: 400 });
  });

  it('counts input tokens locally for translated providers', async () => {
    const counted = await client.post('/responses/input_tokens', { body: { model: 'groq/llama-3.3-70b', input: 'hello world', instructions: 'Be brief.' } });
    expect(counted).toEqual({ object: 'response.input_tokens', input_tokens: expect.any(Number) });
    expect((counted as { input_tokens: number }).input_tokens).toBeGreaterThan(5);
    await expect(client.post('/responses/compact', { body: { model: 'groq/llama-3.3-70b', input: 'x' } })).rejects.toMatchObject({ status: 501 });
  });

  // Kept last: it depends on the Conversations module (POST /v1/conversations).
  it('prepends a conversation and appends the new turn to it; refuses previous_response_id with it', async () => {
    const conversation = await client.conversations.create({ items: [{ type: 'message', role: 'user', content: 'My name is Ada.' }] });
    chat.enqueue({ kind: 'ok', content: 'Hello Ada.' });
    const answer = await client.responses.create({ model: 'groq/llama-3.3-70b', conversation: conversation.id, input: 'What is my name?' });
    expect(answer.output_text).toBe('Hello Ada.');
    expect(answer.conversation).toEqual({ id: conversation.id });
    expect(chat.requests.at(-1)!.body.messages.map((message: { content: unknown }) => JSON.stringify(message.content))).toEqual([
      JSON.stringify([{ type: 'text', text: 'My name is Ada.' }]),
      JSON.stringify([{ type: 'text', text: 'What is my name?' }]),
    ]);
    let items: unknown[] = [];
    for (let tries = 0; tries < 50 && items.length < 3; tries++) {
      await sleep(20);
      items = (await client.conversations.items.list(conversation.id, { order: 'asc' })).data;
    }
    expect(items).toHaveLength(3);
    expect(JSON.stringify(items[2])).toContain('Hello Ada.');
    await expect(client.responses.create({ model: 'groq/llama-3.3-70b', conversation: conversation.id, previous_response_id: answer.id, input: 'x' })).rejects.toMatchObject({
      status: 400,
      param: 'conversation',
    });
  });
});
