import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeAzureOpenAI } from '../support/fake-azure';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const AZURE_KEY = 'azure-secret-key';
const V1_KEY = 'azure-v1-secret-key';

describe('Azure OpenAI through the gateway (official openai SDK)', () => {
  let classic: FakeAzureOpenAI;
  let v1: FakeAzureOpenAI;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    classic = await FakeAzureOpenAI.start({ apiKey: AZURE_KEY, deployments: ['chat-prod', 'emb-prod', 'o4-mini'] });
    v1 = await FakeAzureOpenAI.start({ apiKey: V1_KEY, deployments: ['gpt-4.1-nano'] });
    gateway = await startTestGateway({
      AZURE_API_KEY: AZURE_KEY,
      AZURE_BASE_URL: classic.baseUrl,
      AZURE_API_VERSION: '2024-10-21',
      AZURE_MODELS: 'chat-prod,emb-prod,o4-mini,retired',
      AZURE_V1_API_KEY: V1_KEY,
      AZURE_V1_BASE_URL: `${v1.baseUrl}/openai/v1`,
      AZURE_V1_MODELS: 'gpt-4.1-nano',
      // Same v1 resource reached through the other half of the rule: root URL + AZURE_API_VERSION=v1.
      AZURE_NEXT_API_KEY: V1_KEY,
      AZURE_NEXT_BASE_URL: v1.baseUrl,
      AZURE_NEXT_API_VERSION: 'v1',
      AZURE_NEXT_MODELS: 'gpt-4.1-nano',
    });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await classic?.close();
    await v1?.close();
  });

  beforeEach(() => {
    classic.reset();
    v1.reset();
  });

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  it('calls the deployment URL with api-version and api-key, body untouched but for model', async () => {
    const { data } = await client.chat.completions
      .create({ model: 'chat-prod', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.3, max_tokens: 20 }, { headers: { 'X-Request-ID': 'az-1' } })
      .withResponse();
    expect(data.choices[0].message.content).toEqual(expect.any(String));
    const received = classic.requests.at(-1)!;
    expect(received.url).toBe('/openai/deployments/chat-prod/chat/completions?api-version=2024-10-21');
    expect(received.headers['api-key']).toBe(AZURE_KEY);
    expect(received.headers.authorization).toBeUndefined();
    expect(received.body).toEqual({ model: 'chat-prod', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.3, max_tokens: 20 });
    const row = await usageRow('az-1');
    expect(row).toMatchObject({ provider: 'azure', model: 'chat-prod', status: 200 });
    expect(row!.inputTokens).toBe(data.usage!.prompt_tokens);
  });

  it('streams from a deployment and meters the usage chunk it asked for', async () => {
    const stream = await client.chat.completions.create(
      { model: 'azure/chat-prod', messages: [{ role: 'user', content: 'Count' }], stream: true },
      { headers: { 'X-Request-ID': 'az-stream' } },
    );
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(classic.requests.at(-1)!.body.stream_options).toEqual({ include_usage: true });
    expect((await usageRow('az-stream'))!.outputTokens).toBeGreaterThan(0);
  });

  it('adapts a reasoning-model deployment (max_completion_tokens, no sampling parameters)', async () => {
    await client.chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'Think' }], max_tokens: 50, temperature: 0.5, reasoning_effort: 'low' });
    expect(classic.requests.at(-1)!.body).toEqual({ model: 'o4-mini', messages: [{ role: 'user', content: 'Think' }], max_completion_tokens: 50, reasoning_effort: 'low' });
  });

  it('embeds through the deployment URL (SDK default base64 and explicit float)', async () => {
    const result = await client.embeddings.create({ model: 'emb-prod', input: ['abcd', 'abcdefgh'] });
    expect(result.data).toHaveLength(2);
    expect(result.data[1].embedding[0]).toBeCloseTo(1);
    expect(classic.requests.at(-1)!.url).toBe('/openai/deployments/emb-prod/embeddings?api-version=2024-10-21');
    const floats = await client.embeddings.create({ model: 'emb-prod', input: 'abcd', encoding_format: 'float' });
    expect(floats.data[0].embedding).toEqual([0.5, 0.625, 0.75, 0.875]);
  });

  it('uses the v1 surface when the base URL ends in /openai/v1: model in the body, no api-version', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0].message.content).toEqual(expect.any(String));
    const received = v1.requests.at(-1)!;
    expect(received.url).toBe('/openai/v1/chat/completions');
    expect(received.headers['api-key']).toBe(V1_KEY);
    expect(received.body.model).toBe('gpt-4.1-nano');
  });

  it('uses the v1 surface when AZURE_API_VERSION is v1', async () => {
    await client.chat.completions.create({ model: 'azure-next/gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }], stream: true }).then(async (stream) => {
      for await (const _chunk of stream);
    });
    expect(v1.requests.at(-1)!.url).toBe('/openai/v1/chat/completions');
    const embedding = await client.embeddings.create({ model: 'azure-next/gpt-4.1-nano', input: 'abcd' });
    expect(embedding.data[0].embedding).toHaveLength(4);
    expect(v1.requests.at(-1)!.url).toBe('/openai/v1/embeddings');
  });

  it('lists the configured deployments as models', async () => {
    const ids = (await client.models.list()).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['azure/chat-prod', 'azure/emb-prod', 'azure/o4-mini', 'azure-v1/gpt-4.1-nano']));
  });

  it('passes Azure errors through with their status and message, never the key', async () => {
    classic.enqueue({
      kind: 'status',
      status: 400,
      body: { error: { code: 'content_filter', message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy." } },
    });
    const error = await client.chat.completions.create({ model: 'chat-prod', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain('content management policy');
    expect(error.code).toBe('content_filter');
    expect(JSON.stringify(error.error)).not.toContain(AZURE_KEY);
  });

  it("reports a configured but missing deployment as Azure's 404", async () => {
    const error = await client.chat.completions.create({ model: 'azure/retired', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toContain('deployment');
  });
});
