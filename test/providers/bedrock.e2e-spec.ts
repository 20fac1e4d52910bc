import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { DEFAULT_TEXT, FakeBedrock, TOOL_INPUT } from '../support/fake-bedrock';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

const CREDENTIALS = { accessKeyId: 'AKIAFAKEKEY0001', secretAccessKey: 'fake-secret-access-key', sessionToken: 'fake-session-token', region: 'eu-west-3' };
const CLAUDE = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-english-v3';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==';

describe('Amazon Bedrock through the gateway (official openai SDK, SigV4)', () => {
  let bedrock: FakeBedrock;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    bedrock = await FakeBedrock.start({ credentials: CREDENTIALS });
    gateway = await startTestGateway({
      BEDROCK_REGION: CREDENTIALS.region,
      BEDROCK_BASE_URL: bedrock.baseUrl,
      BEDROCK_MODELS: `${CLAUDE},${TITAN},${COHERE},meta.llama3-8b-instruct-v1:0`,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
    });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await bedrock?.close();
  });

  beforeEach(() => bedrock.reset());

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  it('sends a signed Converse request and answers a chat.completion with usage', async () => {
    bedrock.enqueue({ kind: 'text', cacheReadInputTokens: 7 });
    const completion = await client.chat.completions.create(
      {
        model: CLAUDE,
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            ],
          },
        ],
        max_tokens: 100,
        temperature: 0.2,
        stop: ['END'],
      },
      { headers: { 'X-Request-ID': 'br-json' } },
    );
    const received = bedrock.requests.at(-1)!;
    expect(received.rawPath).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    expect(received.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/eu-west-3/bedrock/aws4_request, SignedHeaders=`));
    expect(received.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(received.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(received.body).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: PNG } } }] }],
      inferenceConfig: { maxTokens: 100, temperature: 0.2, stopSequences: ['END'] },
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message.content).toBe(DEFAULT_TEXT);
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage!.prompt_tokens_details!.cached_tokens).toBe(7);
    const row = await usageRow('br-json');
    expect(row).toMatchObject({ provider: 'bedrock', model: CLAUDE, status: 200, stream: false, cachedTokens: 7 });
    expect(row!.inputTokens).toBe(completion.usage!.prompt_tokens);
    expect(row!.outputTokens).toBe(completion.usage!.completion_tokens);
  });

  it('streams ConverseStream event frames as chat chunks and meters the hidden usage chunk', async () => {
    bedrock.enqueue({ kind: 'text', text: 'one two three four', stopReason: 'max_tokens' });
    const stream = await client.chat.completions.create(
      { model: CLAUDE, messages: [{ role: 'user', content: 'Count' }], stream: true },
      { headers: { 'X-Request-ID': 'br-stream' } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(bedrock.requests.at(-1)!.rawPath).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('one two three four');
    expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('length');
    const row = await usageRow('br-stream');
    expect(row).toMatchObject({ stream: true, status: 200 });
    expect(row!.outputTokens).toBe(Math.ceil('one two three four'.length / 4));
  });

  it('shows the usage chunk to a client that asked for it', async () => {
    const stream = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('translates tools and reassembles streamed tool calls with the SDK helper', async () => {
    bedrock.enqueue({ kind: 'tool' });
    const runner = client.chat.completions.stream({
      model: CLAUDE,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0].message.tool_calls![0];
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.choices[0].message.content).toBe('Checking.');
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).toEqual(TOOL_INPUT);
    expect(bedrock.requests.at(-1)!.body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
      toolChoice: { tool: { name: 'get_weather' } },
    });
  });

  it('answers non-streamed tool calls and sends tool results back as toolResult blocks', async () => {
    bedrock.enqueue({ kind: 'tool' });
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }];
    const first = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'Weather?' }], tools });
    const call = first.choices[0].message.tool_calls![0];
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    await client.chat.completions.create({
      model: CLAUDE,
      tools,
      messages: [{ role: 'user', content: 'Weather?' }, first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '18C' }],
    });
    expect(bedrock.requests.at(-1)!.body.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather?' }] },
      { role: 'assistant', content: [{ text: 'Checking.' }, { toolUse: { toolUseId: call.id, name: 'get_weather', input: TOOL_INPUT } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: call.id, content: [{ text: '18C' }] } }] },
    ]);
  });

  it('refuses an http image URL with a 400 naming the field, without calling Bedrock', async () => {
    const error = await client.chat.completions
      .create({ model: CLAUDE, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe('messages[0].content[0].image_url');
    expect(bedrock.requests).toHaveLength(0);
  });

  describe('errors', () => {
    it.each([
      [400, 'ValidationException', OpenAI.BadRequestError, 400],
      [403, 'AccessDeniedException', OpenAI.PermissionDeniedError, 403],
      [404, 'ResourceNotFoundException', OpenAI.NotFoundError, 404],
      [503, 'ServiceUnavailableException', OpenAI.InternalServerError, 502],
    ])('maps HTTP %d %s', async (status, errorType, errorClass, clientStatus) => {
      bedrock.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status, errorType, message: `${errorType} from the fake` })));
      const error = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(error).toBeInstanceOf(errorClass);
      expect(error.status).toBe(clientStatus);
      expect(error.message).toContain(`${errorType} from the fake`);
      expect(JSON.stringify(error.error)).not.toContain(CREDENTIALS.secretAccessKey);
    });

    it('retries throttling and passes it through as a RateLimitError', async () => {
      bedrock.enqueue(
        ...Array.from({ length: 3 }, () => ({
          kind: 'status' as const,
          status: 429,
          errorType: 'ThrottlingException',
          message: 'Too many requests, please wait before trying again.',
        })),
      );
      const error = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(bedrock.requests.length).toBeGreaterThan(1);
    });

    it.each([
      ['an exception frame', { kind: 'exception-mid-stream' as const, exceptionType: 'modelStreamErrorException', message: 'The model stream failed.' }],
      ['a stream that ends before messageStop', { kind: 'truncated-stream' as const }],
      ['a frame cut in half', { kind: 'cut-frame' as const }],
    ])('ends the client stream with an error event on %s', async (_label, behaviour) => {
      bedrock.enqueue(behaviour);
      const stream = await client.chat.completions.create(
        { model: CLAUDE, messages: [{ role: 'user', content: 'x' }], stream: true },
        { headers: { 'X-Request-ID': `br-broken-${behaviour.kind}` } },
      );
      const consume = async () => {
        for await (const _chunk of stream);
      };
      await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);
      expect(await usageRow(`br-broken-${behaviour.kind}`)).toMatchObject({ errorType: 'upstream_stream_error' });
    });
  });

  describe('embeddings (InvokeModel)', () => {
    it('embeds with Titan, one signed call per input, in the SDK default base64 encoding', async () => {
      const result = await client.embeddings.create({ model: TITAN, input: ['abcdefgh', 'abcd'] }, { headers: { 'X-Request-ID': 'br-titan' } });
      expect(result.data.map((item) => Array.from(item.embedding))).toEqual([
        [1, 0.25, -0.5],
        [0.5, 0.25, -0.5],
      ]);
      expect(result.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
      expect(bedrock.requests.map((request) => [request.rawPath, request.body])).toEqual(
        expect.arrayContaining([
          ['/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'abcdefgh' }],
          ['/model/amazon.titan-embed-text-v2%3A0/invoke', { inputText: 'abcd' }],
        ]),
      );
      expect(await usageRow('br-titan')).toMatchObject({ provider: 'bedrock', inputTokens: 3 });
    });

    it('embeds with Cohere in one call, floats on request', async () => {
      const result = await client.embeddings.create({ model: COHERE, input: ['abcdefgh', 'abcd'], encoding_format: 'float' });
      expect(result.data[1].embedding).toEqual([0.5, 0.25, -0.5]);
      expect(result.usage.prompt_tokens).toBe(3);
      expect(bedrock.requests).toHaveLength(1);
      expect(bedrock.requests[0].body).toEqual({ texts: ['abcdefgh', 'abcd'], input_type: 'search_document' });
    });

    it('refuses other model families with a 400 naming model', async () => {
      const error = await client.embeddings.create({ model: 'meta.llama3-8b-instruct-v1:0', input: 'x' }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe('model');
    });
  });

  it('lists BEDROCK_MODELS as models', async () => {
    const ids = (await client.models.list()).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining([`bedrock/${CLAUDE}`, `bedrock/${TITAN}`]));
  });
});

describe('Amazon Bedrock with a Bedrock API key', () => {
  it('sends Authorization: Bearer instead of a signature', async () => {
    const bedrock = await FakeBedrock.start({ bearerToken: 'bedrock-api-key-1' });
    const gateway = await startTestGateway({
      BEDROCK_REGION: 'us-east-1',
      BEDROCK_BASE_URL: bedrock.baseUrl,
      BEDROCK_MODELS: CLAUDE,
      AWS_BEARER_TOKEN_BEDROCK: 'bedrock-api-key-1',
    });
    try {
      const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'Hi' }] });
      expect(completion.choices[0].message.content).toBe(DEFAULT_TEXT);
      expect(bedrock.requests[0].headers.authorization).toBe('Bearer bedrock-api-key-1');
      expect(bedrock.requests[0].headers['x-amz-date']).toBeUndefined();
    } finally {
      await gateway.close();
      await bedrock.close();
    }
  });
});
