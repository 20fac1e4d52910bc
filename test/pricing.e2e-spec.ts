import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeAnthropicUpstream } from './support/fake-anthropic';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { SDKS } from './support/messages/sdk-clients';

const OPENAI_KEY = 'sk-upstream-secret';
const ANTHROPIC_KEY = 'sk-ant-upstream-secret';

// Costs are asserted against hand calculations from @pydantic/genai-prices 0.1.8's published
// prices (USD per million tokens = micro-dollars per token), each part rounded to whole micros.
describe('cost of each request, stored with its usage record', () => {
  let openaiUpstream: FakeOpenAIUpstream;
  let anthropicUpstream: FakeAnthropicUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    openaiUpstream = await FakeOpenAIUpstream.start({ apiKey: OPENAI_KEY, models: ['gpt-4o', 'my-finetune'] });
    anthropicUpstream = await FakeAnthropicUpstream.start({ apiKey: ANTHROPIC_KEY });
    gateway = await startTestGateway({
      // An instance name that is not a price-database provider: priced by its type.
      OPENAI_EAST_API_KEY: OPENAI_KEY,
      OPENAI_EAST_BASE_URL: openaiUpstream.baseUrl,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: anthropicUpstream.url,
    });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await anthropicUpstream?.close();
    await openaiUpstream?.close();
  });

  beforeEach(() => {
    openaiUpstream.reset();
    anthropicUpstream.reset();
  });

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  function admin(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  it('prices an OpenAI chat completion (openai SDK): cached prompt tokens at the cache-read rate', async () => {
    openaiUpstream.setDefault({ kind: 'ok', content: 'Hello there, how are you today?', cachedTokens: 1024, reasoningTokens: 4 });
    const { data } = await client.chat.completions
      .create({ model: 'openai-east/gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'X-Request-ID': 'req-cost-openai' } })
      .withResponse();
    const usage = data.usage!;
    expect(usage.prompt_tokens_details?.cached_tokens).toBe(1024);
    const row = (await usageRow('req-cost-openai'))!;
    // gpt-4o: input 2.50, cache read 1.25, output 10.00 (reasoning at the output rate)
    const input = Math.round((usage.prompt_tokens - 1024) * 2.5);
    const cached = 1280;
    const output = (usage.completion_tokens - 4) * 10;
    expect(row).toMatchObject({ costInputMicros: input, costCachedInputMicros: cached, costOutputMicros: output, costReasoningMicros: 40, costCacheWriteMicros: 0 });
    expect(row).toMatchObject({ costMicros: input + cached + output + 40, costSource: 'price_table' });
  });

  it('prices a streamed completion from its usage chunk', async () => {
    openaiUpstream.setDefault({ kind: 'ok', content: 'one two three' });
    const stream = await client.chat.completions.create(
      { model: 'openai-east/gpt-4o', messages: [{ role: 'user', content: 'Count' }], stream: true, stream_options: { include_usage: true } },
      { headers: { 'X-Request-ID': 'req-cost-stream' } },
    );
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    const row = (await usageRow('req-cost-stream'))!;
    expect(row.costMicros).toBe(Math.round(usage!.prompt_tokens * 2.5) + usage!.completion_tokens * 10);
  });

  it.each(SDKS)('prices an Anthropic Messages request ($name): input_tokens exclude cache reads and writes', async (sdk) => {
    anthropicUpstream.enqueue({
      kind: 'ok',
      id: 'msg_cost01',
      content: [{ type: 'text', text: 'Hi!' }],
      usage: { input_tokens: 30, output_tokens: 12, cache_read_input_tokens: 200, cache_creation_input_tokens: 5 },
    });
    const { client: anthropic } = sdk.create(gateway.url);
    const requestId = `req-cost-anthropic-${sdk.auth}`;
    await anthropic.messages.create(
      { model: 'anthropic/claude-sonnet-4-5-20250929', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] },
      { headers: { 'X-Request-ID': requestId } },
    );
    const row = (await usageRow(requestId))!;
    // claude-sonnet-4-5: input 3.00, cache write 3.75, cache read 0.30, output 15.00
    expect(row).toMatchObject({ inputTokens: 235, cachedTokens: 200, cacheWriteTokens: 5 });
    expect(row).toMatchObject({ costInputMicros: 90, costCacheWriteMicros: 19, costCachedInputMicros: 60, costOutputMicros: 180, costMicros: 349, costSource: 'price_table' });
  });

  it('stores no cost (never a guess) for a model without a known price', async () => {
    openaiUpstream.setDefault({ kind: 'ok', content: 'tuned' });
    await client.chat.completions.create({ model: 'openai-east/my-finetune', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'X-Request-ID': 'req-cost-unknown' } });
    expect(await usageRow('req-cost-unknown')).toMatchObject({ costMicros: null, costInputMicros: null, costSource: null });
  });

  it('applies an admin override to later requests, recalculates past ones, and stops applying it once deleted', async () => {
    openaiUpstream.setDefault({ kind: 'ok', content: 'tuned answer' });
    const put = await admin('PUT', '/admin/model-pricing-overrides', { provider: 'openai', model: 'my-finetune', input_mtok: 1, output_mtok: 2 });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ object: 'model_price_override', provider: 'openai', model: 'my-finetune', input_mtok: 1, output_mtok: 2, cache_read_mtok: null });
    const listed = (await (await admin('GET', '/admin/model-pricing-overrides?limit=10')).json()) as { data: unknown[]; has_more: boolean };
    expect(listed).toMatchObject({ object: 'list', has_more: false, data: [{ provider: 'openai', model: 'my-finetune' }] });

    const { data } = await client.chat.completions
      .create({ model: 'openai-east/my-finetune', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'X-Request-ID': 'req-cost-override' } })
      .withResponse();
    const expected = data.usage!.prompt_tokens * 1 + data.usage!.completion_tokens * 2;
    expect(await usageRow('req-cost-override')).toMatchObject({ costMicros: expected, costSource: 'override' });

    // The earlier unpriced request gets the override's price by recalculation.
    const unknownRow = (await usageRow('req-cost-unknown'))!;
    const start = new Date(unknownRow.createdAt.getTime() - 60_000).toISOString();
    const end = new Date(Date.now() + 60_000).toISOString();
    const recalculated = await admin('POST', '/admin/usage/recalculate-pricing', { start, end });
    expect(recalculated.status).toBe(200);
    const counts = (await recalculated.json()) as Record<string, number>;
    expect(counts).toMatchObject({ object: 'usage.pricing_recalculation', rows_provider_reported: 0 });
    expect(counts.rows_updated).toBe(counts.rows_scanned);
    expect(counts.rows_scanned).toBeGreaterThanOrEqual(6);
    expect((await usageRow('req-cost-unknown'))!.costSource).toBe('override');

    const deleted = await admin('DELETE', '/admin/model-pricing-overrides?provider=openai&model=my-finetune');
    expect(await deleted.json()).toEqual({ object: 'model_price_override.deleted', provider: 'openai', model: 'my-finetune', deleted: true });
    expect((await admin('DELETE', '/admin/model-pricing-overrides?provider=openai&model=my-finetune')).status).toBe(404);
    await client.chat.completions.create({ model: 'openai-east/my-finetune', messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'X-Request-ID': 'req-cost-deleted' } });
    expect(await usageRow('req-cost-deleted')).toMatchObject({ costMicros: null });

    const again = (await (await admin('POST', '/admin/usage/recalculate-pricing', { start, end })).json()) as Record<string, number>;
    expect(again.rows_without_price).toBeGreaterThanOrEqual(3);
    expect(await usageRow('req-cost-override')).toMatchObject({ costMicros: null });
  });

  it('refuses bad admin input with a 400 naming the field, in the OpenAI envelope', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['PUT', '/admin/model-pricing-overrides', { provider: 'openai', model: 'm', input_mtok: -1, output_mtok: 1 }, 'input_mtok'],
      ['PUT', '/admin/model-pricing-overrides', { provider: 'openai', model: 'm', input_mtok: 1, output_mtok: 1, input_mtoks: 1 }, 'input_mtoks'],
      ['PUT', '/admin/model-pricing-overrides', { provider: 'nowhere', model: 'm', input_mtok: 1, output_mtok: 1 }, 'provider'],
      ['PUT', '/admin/model-pricing-overrides', { provider: 'openai', input_mtok: 1, output_mtok: 1 }, 'model'],
      ['POST', '/admin/usage/recalculate-pricing', { start: 'yesterday', end: '2026-12-02T00:00:00Z' }, 'start'],
      ['POST', '/admin/usage/recalculate-pricing', { start: '2026-12-02T00:00:00Z', end: '2026-12-01T00:00:00Z' }, 'end'],
      ['GET', '/admin/model-pricing-overrides?after=not-a-cursor', undefined, 'after'],
    ];
    for (const [method, path, body, param] of cases) {
      const response = await admin(method, path, body);
      expect({ param, status: response.status }).toEqual({ param, status: 400 });
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', param } });
    }
  });

  it('keeps the admin routes to admin callers', async () => {
    const response = await fetch(`${gateway.url}/admin/model-pricing-overrides`, { headers: { authorization: 'Bearer not-a-key' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: expect.any(String) } });
  });

  it('documents the pricing admin routes in the OpenAPI document, with their DTOs', async () => {
    const document = (await (await fetch(`${gateway.url}/swagger/json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(document.paths['/admin/model-pricing-overrides']).sort()).toEqual(['delete', 'get', 'put']);
    expect(document.paths['/admin/usage/recalculate-pricing'].post.responses).toHaveProperty('400');
    expect(Object.keys(document.components.schemas.PutModelPriceOverrideDto.properties)).toEqual(
      expect.arrayContaining(['provider', 'model', 'input_mtok', 'output_mtok', 'cache_read_mtok']),
    );
    expect(document.components.schemas).toHaveProperty('PricingRecalculationDto');
  });
});
