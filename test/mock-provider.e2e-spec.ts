import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { startTestGateway, type TestGateway, TEST_MASTER_KEY } from './support/gateway-harness';
import { SDKS } from './support/messages/sdk-clients';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] } },
};

/**
 * The built-in mock provider through the whole gateway, driven by the official SDKs: the gateway
 * starts with NO provider configured, so the mock is on automatically, as on a fresh checkout.
 */
describe('the built-in mock provider through the gateway (official SDKs, no provider configured)', () => {
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startTestGateway({});
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('is the only provider, and GET /v1/models lists its models', async () => {
    expect(gateway.config.providers.map((provider) => provider.name)).toEqual(['mock']);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['mock/echo', 'mock/tool', 'mock/fail-429', 'mock/fail-503', 'mock/slow-2s', 'mock/slow-500ms', 'mock/reset-mid-stream']));
  });

  it('answers chat JSON with the echoed text and real-looking usage, metered like any provider', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'mock/echo', messages: [{ role: 'user', content: 'Hello from CI' }] }, { headers: { 'X-Request-ID': 'req-mock-json' } })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Hello from CI');
    expect(data.choices[0].finish_reason).toBe('stop');
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('mock');
    const again = await client.chat.completions.create({ model: 'mock/echo', messages: [{ role: 'user', content: 'Hello from CI' }] });
    expect(again).toEqual(data);
    await gateway.app.get(UsageWriter).flush();
    const row = await gateway.app.get(UsageRepository).findByRequestId('req-mock-json');
    expect(row).toMatchObject({ provider: 'mock', model: 'echo', status: 200, inputTokens: data.usage!.prompt_tokens, outputTokens: data.usage!.completion_tokens });
  });

  it('streams chat with the SDK, usage included when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'mock/echo',
      messages: [{ role: 'user', content: 'one two three four' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('one two three four');
    expect(usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('calls a tool through chat.completions.stream().finalChatCompletion()', async () => {
    const final = await client.chat.completions
      .stream({ model: 'mock/tool', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: [WEATHER_TOOL] })
      .finalChatCompletion();
    const call = final.choices[0].message.tool_calls![0];
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Weather in Oslo?', days: 1 });
    const json = await client.chat.completions.create({ model: 'mock/tool', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: [WEATHER_TOOL] });
    expect(json.choices[0].message.tool_calls![0].id).toBe(call.id);
  });

  it('embeds deterministically, in the SDK default (base64) and as floats', async () => {
    const base64 = await client.embeddings.create({ model: 'mock/echo', input: ['same', 'other', 'same'] });
    const floats = await client.embeddings.create({ model: 'mock/echo', input: 'same', encoding_format: 'float' });
    const [same, other, sameAgain] = base64.data.map((item) => item.embedding);
    expect(same).toHaveLength(1536);
    expect(sameAgain).toEqual(same);
    expect(other).not.toEqual(same);
    expect(floats.data[0].embedding).toEqual(same);
  });

  it('serves the Responses API through translation, JSON and stream', async () => {
    const response = await client.responses.create({ model: 'mock/echo', input: 'Respond to this' });
    expect(response.output_text).toBe('Respond to this');
    expect(response.usage!.output_tokens).toBeGreaterThan(0);
    const streamed = await client.responses.stream({ model: 'mock/echo', input: 'Streamed respond' }).finalResponse();
    expect(streamed.output_text).toBe('Streamed respond');
  });

  it('mock/fail-429 reaches the SDK as a RateLimitError with retry-after', async () => {
    const error = await client.chat.completions.create({ model: 'mock/fail-429', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('1');
    const embeddings = await client.embeddings.create({ model: 'mock/fail-429', input: 'x' }).catch((caught: unknown) => caught);
    expect(embeddings).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('mock/slow-<duration> delays the answer', async () => {
    const startedAt = Date.now();
    await client.chat.completions.create({ model: 'mock/slow-300ms', messages: [{ role: 'user', content: 'x' }] });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
  });

  it('mock/reset-mid-stream makes the SDK stream throw after some content', async () => {
    const stream = await client.chat.completions.create({ model: 'mock/reset-mid-stream', messages: [{ role: 'user', content: 'this answer never finishes' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toBe('this answer never finishes');
  });

  it('takes directives from the x-mock-directive header, over the model name', async () => {
    const error = await client.chat.completions
      .create({ model: 'mock/echo', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-mock-directive': 'fail=429; retry-after=4' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('4');
    const bad = await client.chat.completions
      .create({ model: 'mock/echo', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-mock-directive': 'speed=fast' } })
      .catch((caught: unknown) => caught);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('x-mock-directive');
  });

  it('names a bad directive in the model as a 400 on model', async () => {
    const error = await client.chat.completions.create({ model: 'mock/echo;speed=fast', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('model');
  });

  it('answers native passthrough (/p/mock/…) as an OpenAI-compatible server, usage metered', async () => {
    const passthrough = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/p/mock/v1`, maxRetries: 0 });
    const { data, response } = await passthrough.chat.completions
      .create({ model: 'echo', messages: [{ role: 'user', content: 'Native hello' }] }, { headers: { 'X-Request-ID': 'req-mock-native' } })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Native hello');
    expect(response.headers.get('x-request-id')).toBe('req-mock-native');
    const error = await passthrough.chat.completions.create({ model: 'fail-429', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    await gateway.app.get(UsageWriter).flush();
    const row = await gateway.app.get(UsageRepository).findByRequestId('req-mock-native');
    expect(row).toMatchObject({ provider: 'mock', outputTokens: data.usage!.completion_tokens });
  });

  describe.each(SDKS)('Messages through translation with $name', (sdk) => {
    it('answers messages.create and a stream on mock/echo', async () => {
      const { client: anthropic } = sdk.create(gateway.url);
      const message = await anthropic.messages.create({ model: 'mock/echo', max_tokens: 256, messages: [{ role: 'user', content: 'Hi Claude-shaped mock' }] });
      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hi Claude-shaped mock' })]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage.output_tokens).toBeGreaterThan(0);
      const streamed = await anthropic.messages.stream({ model: 'mock/echo', max_tokens: 256, messages: [{ role: 'user', content: 'Streamed mock words' }] }).finalMessage();
      expect(streamed.content).toEqual([expect.objectContaining({ type: 'text', text: 'Streamed mock words' })]);
    });
  });
});

describe("the mock provider testing a user's own routing offline", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    const routingYaml = 'aliases:\n  primary:\n    targets: [mock/fail-503]\n    fallbacks: [mock/echo]\n';
    gateway = await startTestGateway({ MOCK_PROVIDER: 'true', HTTP_FIRST_BYTE_TIMEOUT: '200ms' }, { routingYaml });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('fails an alias over from mock/fail-503 to mock/echo before the first byte, stream included', async () => {
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'primary', messages: [{ role: 'user', content: 'failover works' }] }).withResponse();
    expect(data.choices[0].message.content).toBe('failover works');
    expect(response.headers.get('x-switchyard-model')).toBe('echo');
    const stream = await client.chat.completions.create({ model: 'primary', messages: [{ role: 'user', content: 'streamed failover' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('streamed failover');
  });

  it("a mock slower than HTTP_FIRST_BYTE_TIMEOUT gets the gateway's 504, as a slow provider would", async () => {
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'mock/slow-10m', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
  });
});
