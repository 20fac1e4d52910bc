import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeOpenAIAudio, SPEECH_SIZE, speechBytes } from './support/fake-audio';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const ROUTING = `
aliases:
  voice:
    targets: [openai/tts-1]
    fallbacks: [groq/playai-tts]
`;

/** Reads a fetch body chunk by chunk. */
async function readRest(reader: ReadableStreamDefaultReader<Uint8Array>, head: Uint8Array[]): Promise<Buffer> {
  const chunks = [...head];
  for (;;) {
    const next = await reader.read();
    if (next.done) return Buffer.concat(chunks);
    chunks.push(next.value);
  }
}

/** The `data` payloads of an SSE text. */
function events(text: string): Array<Record<string, any>> {
  return text
    .split(/\n\n/)
    .map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
    .filter((line): line is string => line !== undefined)
    .map((line) => JSON.parse(line.slice(6)) as Record<string, any>);
}

describe('POST /v1/audio/speech', () => {
  let openai: FakeOpenAIAudio;
  let groq: FakeOpenAIAudio;
  let gateway: TestGateway;
  let client: OpenAI;

  async function usageRow(requestId: string | null) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId!);
  }

  beforeAll(async () => {
    openai = await FakeOpenAIAudio.start({ surface: 'openai', apiKey: 'sk-openai', models: ['tts-1', 'gpt-4o-mini-tts'] });
    groq = await FakeOpenAIAudio.start({ surface: 'openai', apiKey: 'gsk-groq', models: ['playai-tts'] });
    gateway = await startTestGateway(
      {
        OPENAI_API_KEY: 'sk-openai',
        OPENAI_BASE_URL: openai.baseUrl,
        GROQ_API_KEY: 'gsk-groq',
        GROQ_BASE_URL: groq.baseUrl,
        // Nothing listens on port 1; these providers are only resolved, never reached.
        ANTHROPIC_API_KEY: 'sk-ant',
        ANTHROPIC_BASE_URL: 'http://127.0.0.1:1',
        ANTHROPIC_MODELS: 'claude-sonnet-4-5',
        XAI_API_KEY: 'xai-key',
        XAI_BASE_URL: 'http://127.0.0.1:1/v1',
        XAI_MODELS: 'grok-tts',
        UPSTREAM_MAX_RETRIES: '0',
      },
      { routingYaml: ROUTING },
    );
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    // Booting a gateway on a loaded shared VM can take longer than the default 5 s hook timeout.
  }, 30_000);

  afterEach(() => {
    openai.reset();
    groq.reset();
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([openai?.close(), groq?.close()]);
  });

  it('relays the audio as it arrives: the client has the first bytes while the provider still holds the rest', async () => {
    openai.enqueue({ kind: 'hold-tail' });
    const input = 'The quick brown fox jumped over the lazy dog.';
    const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input });
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.length).toBeGreaterThan(0);
    expect(openai.tailWritten).toBe(false);
    openai.releaseTail();
    const audio = await readRest(reader, [first.value!]);
    expect(audio.equals(speechBytes(input, SPEECH_SIZE))).toBe(true);
    const sent = openai.requests[0];
    expect(sent.json).toEqual({ model: 'tts-1', voice: 'alloy', input });
    expect(sent.headers.authorization).toBe('Bearer sk-openai');
    const row = await usageRow(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ endpoint: '/v1/audio/speech', provider: 'openai', model: 'tts-1', status: 200, stream: true, inputCharacters: input.length });
  });

  it("answers with the upstream's Content-Type for the requested format, options passed through", async () => {
    const input = 'Wave goodbye.';
    const response = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'coral', input, response_format: 'wav', speed: 1.25, instructions: 'Cheerful.' });
    expect(response.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await response.arrayBuffer()).equals(speechBytes(input, SPEECH_SIZE))).toBe(true);
    expect(openai.requests[0].json).toMatchObject({ response_format: 'wav', speed: 1.25, instructions: 'Cheerful.' });
  });

  it('relays the Content-Length of an upstream that announces one', async () => {
    openai.enqueue({ kind: 'sized' });
    const input = 'Sized audio.';
    const response = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input, response_format: 'flac' });
    expect(response.headers.get('content-type')).toBe('audio/flac');
    expect(response.headers.get('content-length')).toBe(String(SPEECH_SIZE));
    expect(Buffer.from(await response.arrayBuffer()).equals(speechBytes(input, SPEECH_SIZE))).toBe(true);
  });

  it('relays speech.audio.delta / speech.audio.done events with stream_format sse, metering their usage', async () => {
    const input = 'Stream me as events.';
    const response = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input, stream_format: 'sse' });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const received = events(await response.text());
    expect(received.map((event) => event.type)).toEqual(['speech.audio.delta', 'speech.audio.delta', 'speech.audio.done']);
    const audio = Buffer.concat(received.slice(0, 2).map((event) => Buffer.from(event.audio as string, 'base64')));
    expect(audio.equals(speechBytes(input, SPEECH_SIZE))).toBe(true);
    const row = await usageRow(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ inputTokens: Math.ceil(input.length / 4), outputTokens: 120, audioOutputTokens: 120, inputCharacters: input.length });
  });

  it.each([
    ['model', { voice: 'alloy', input: 'hi' }],
    ['input', { model: 'tts-1', voice: 'alloy' }],
    ['voice', { model: 'tts-1', input: 'hi' }],
  ])('refuses a request without %s with a 400 naming it', async (param, body) => {
    const error = (await client.audio.speech.create(body as never).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.param).toBe(param);
    expect(error.message).toContain(`'${param}'`);
    expect(openai.requests).toHaveLength(0);
  });

  it('refuses an unknown response_format with a 400 naming it', async () => {
    const error = (await client.audio.speech
      .create({ model: 'tts-1', voice: 'alloy', input: 'hi', response_format: 'ogg' as never })
      .catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.param).toBe('response_format');
  });

  it.each([
    ['anthropic/claude-sonnet-4-5', 'anthropic'],
    ['xai/grok-tts', 'xai'],
  ])('answers 400 for %s: that provider does not serve speech', async (model, provider) => {
    const error = (await client.audio.speech.create({ model, voice: 'alloy', input: 'hi' }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.param).toBe('model');
    expect(error.message).toContain(model.split('/')[1]);
    expect(error.message).toContain(`provider '${provider}'`);
    expect(error.message).toContain('does not support speech');
  });

  it('fails over to the next target of the plan when the first answers 503 before any audio', async () => {
    openai.enqueue({ kind: 'status', status: 503 });
    const input = 'Failover please.';
    const { data, response } = await client.audio.speech.create({ model: 'voice', voice: 'alloy', input }).withResponse();
    expect(Buffer.from(await data.arrayBuffer()).equals(speechBytes(input, SPEECH_SIZE))).toBe(true);
    expect(response.headers.get('x-switchyard-provider')).toBe('groq');
    expect(openai.requests).toHaveLength(1);
    expect(groq.requests[0].json).toMatchObject({ model: 'playai-tts', input });
    expect(await usageRow(response.headers.get('x-request-id'))).toMatchObject({ provider: 'groq', model: 'playai-tts', status: 200 });
  });

  it('relays the upstream error when the only target refuses the request', async () => {
    openai.enqueue({ kind: 'status', status: 429 });
    const error = (await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(429);
  });
});
