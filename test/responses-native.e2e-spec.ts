import OpenAI from 'openai';
import { setTimeout as sleep } from 'node:timers/promises';
import { ResponsesRepository, UsageRepository, UsageWriter } from '@app/storage';
import { FakeResponsesUpstream, NATIVE_TEXT } from './support/fake-responses';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const KEY = 'sk-native-upstream';

describe('POST /v1/responses forwarded to a native Responses API (OpenAI type)', () => {
  let native: FakeResponsesUpstream;
  let chat: FakeOpenAIUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    native = await FakeResponsesUpstream.start(KEY);
    chat = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: ['llama-3.3-70b'] });
    gateway = await startTestGateway({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: native.baseUrl, OPENAI_MODELS: 'gpt-4o', GROQ_API_KEY: 'gk', GROQ_BASE_URL: chat.baseUrl });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await native?.close();
    await chat?.close();
  });

  beforeEach(() => {
    native.reset();
    chat.reset();
  });

  const repository = () => gateway.app.get(ResponsesRepository);
  const creates = () => native.requests.filter((request) => request.method === 'POST' && request.path === '/v1/responses');

  async function storedRow(id: string, status?: string) {
    for (let tries = 0; tries < 100; tries++) {
      const row = await repository().find(id);
      if (row && (!status || row.status === status)) return row;
      await sleep(20);
    }
    throw new Error(`response ${id} not stored`);
  }

  it('forwards the body with only the model rewritten, injects the credential, stores the native response and meters it', async () => {
    const { data } = await client.responses
      .create({ model: 'openai/gpt-4o', input: 'Hello', temperature: 0.5, ...{ vendor_field: 1 } } as never, { headers: { 'X-Request-ID': 'native-json-1' } })
      .withResponse();
    expect(data.output_text).toBe(NATIVE_TEXT);
    const [sent] = creates();
    expect(sent.body).toEqual({ model: 'gpt-4o', input: 'Hello', temperature: 0.5, vendor_field: 1 });
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    const row = await storedRow(data.id);
    expect(row).toMatchObject({ native: true, provider: 'openai', model: 'gpt-4o', status: 'completed' });
    await gateway.app.get(UsageWriter).flush();
    expect(await gateway.app.get(UsageRepository).findByRequestId('native-json-1')).toMatchObject({ endpoint: '/v1/responses', inputTokens: 11, cachedTokens: 2 });
  });

  it('pipes the native event stream untouched and stores the final response', async () => {
    const stream = client.responses.stream({ model: 'openai/gpt-4o', input: 'Stream please' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(NATIVE_TEXT);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(creates()[0].body!.stream).toBe(true);
    expect((await storedRow(final.id)).body.output).toEqual([expect.objectContaining({ type: 'message' })]);
  });

  it('forwards previous_response_id to the same native provider, and rebuilds a chain that started elsewhere', async () => {
    const first = await client.responses.create({ model: 'openai/gpt-4o', input: 'One' });
    await storedRow(first.id);
    await client.responses.create({ model: 'openai/gpt-4o', input: 'Two', previous_response_id: first.id });
    expect(creates()[1].body).toMatchObject({ previous_response_id: first.id, input: 'Two' });

    chat.enqueue({ kind: 'ok', content: 'Translated turn.' });
    const translated = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'Three' });
    await storedRow(translated.id);
    const rebuilt = await client.responses.create({ model: 'openai/gpt-4o', input: 'Four', previous_response_id: translated.id });
    const sent = creates()[2].body!;
    expect(sent.previous_response_id).toBeUndefined();
    expect(sent.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Three' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Translated turn.', annotations: [], logprobs: [] }] },
      { role: 'user', content: 'Four' },
    ]);
    expect((await storedRow(rebuilt.id)).previousResponseId).toBe(translated.id);
  });

  it('retrieves from the store, falls back to the provider for ids it does not hold, and deletes both copies', async () => {
    const created = await client.responses.create({ model: 'openai/gpt-4o', input: 'Keep me' });
    await storedRow(created.id);
    expect((await client.responses.retrieve(created.id)).id).toBe(created.id);
    native.stored.set('resp_upstream_only', { id: 'resp_upstream_only', object: 'response', status: 'completed', output: [] });
    expect((await client.responses.retrieve('resp_upstream_only')).id).toBe('resp_upstream_only');

    const deleted = await client.responses.delete(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'response', deleted: true });
    expect(await repository().find(created.id)).toBeNull();
    expect(native.stored.has(created.id)).toBe(false);
    expect(native.requests.some((request) => request.method === 'DELETE' && request.path === `/v1/responses/${created.id}`)).toBe(true);
    await expect(client.responses.retrieve('resp_nowhere')).rejects.toMatchObject({ status: 404 });
  });

  it('forwards background requests, refreshes them on GET, and forwards cancel', async () => {
    const queued = await client.responses.create({ model: 'openai/gpt-4o', input: 'Later', background: true });
    expect(queued.status).toBe('queued');
    expect(creates()[0].body!.background).toBe(true);
    expect(await storedRow(queued.id)).toMatchObject({ native: true, background: true, status: 'queued' });
    let polled = queued;
    for (let tries = 0; tries < 50 && polled.status !== 'completed'; tries++) {
      await sleep(50);
      polled = await client.responses.retrieve(queued.id);
    }
    expect(polled.status).toBe('completed');
    expect((await repository().find(queued.id))?.status).toBe('completed');

    native.backgroundMs = 10_000;
    const slow = await client.responses.create({ model: 'openai/gpt-4o', input: 'Very late', background: true });
    await storedRow(slow.id);
    expect((await client.responses.cancel(slow.id)).status).toBe('cancelled');
    expect(native.requests.some((request) => request.method === 'POST' && request.path === `/v1/responses/${slow.id}/cancel`)).toBe(true);
    expect((await repository().find(slow.id))?.status).toBe('cancelled');
  });

  it('forwards input_tokens and compact to the provider', async () => {
    expect(await client.post('/responses/input_tokens', { body: { model: 'openai/gpt-4o', input: 'hi' } })).toEqual({ object: 'response.input_tokens', input_tokens: 42 });
    expect(native.requests.at(-1)).toMatchObject({ path: '/v1/responses/input_tokens', body: { model: 'gpt-4o', input: 'hi' } });
    expect(await client.post('/responses/compact', { body: { model: 'openai/gpt-4o', input: 'hi' } })).toMatchObject({ object: 'response.compaction' });
  });
});
