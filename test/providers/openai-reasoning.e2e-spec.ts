import OpenAI from 'openai';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

describe('OpenAI reasoning models through the gateway (upstream request shape)', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start({ apiKey: 'sk-up', models: ['o3-mini', 'gpt-5-mini', 'gpt-4o'] });
    // The same fake also stands in for a vLLM server: reasoning adaptation is for OpenAI's own models only.
    gateway = await startTestGateway({ OPENAI_API_KEY: 'sk-up', OPENAI_BASE_URL: upstream.baseUrl, VLLM_API_KEY: 'sk-up', VLLM_BASE_URL: upstream.baseUrl });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  const sampling = { temperature: 0.7, top_p: 0.9, presence_penalty: 0.5, frequency_penalty: 0.5, logit_bias: { '1': 1 } };

  it('sends max_completion_tokens, no sampling parameters, and keeps reasoning_effort (non-streaming)', async () => {
    upstream.setDefault({ kind: 'ok', content: 'Thought it through.', reasoningTokens: 12 });
    const completion = await client.chat.completions.create({
      model: 'o3-mini',
      messages: [{ role: 'user', content: 'Solve' }],
      max_tokens: 500,
      reasoning_effort: 'high',
      ...sampling,
    });
    expect(completion.usage!.completion_tokens_details!.reasoning_tokens).toBe(12);
    expect(upstream.requests.at(-1)!.body).toEqual({ model: 'o3-mini', messages: [{ role: 'user', content: 'Solve' }], max_completion_tokens: 500, reasoning_effort: 'high' });
  });

  it('adapts streamed gpt-5 requests too, still asking for usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-5-mini',
      messages: [{ role: 'user', content: 'Solve' }],
      max_tokens: 64,
      stream: true,
      logprobs: true,
      top_logprobs: 2,
      ...sampling,
    });
    for await (const _chunk of stream);
    expect(upstream.requests.at(-1)!.body).toEqual({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Solve' }],
      max_completion_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('leaves ordinary models untouched (fast path)', async () => {
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 20, temperature: 0.7 });
    expect(upstream.requests.at(-1)!.body).toEqual({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 20, temperature: 0.7 });
  });

  it('leaves reasoning-named models on other provider types untouched', async () => {
    await client.chat.completions.create({ model: 'vllm/o3-mini', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 20, temperature: 0.7 });
    expect(upstream.requests.at(-1)!.body).toEqual({ model: 'o3-mini', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 20, temperature: 0.7 });
  });
});
