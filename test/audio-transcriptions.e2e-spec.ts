import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeOpenAIAudio, heardText } from './support/fake-audio';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const AUDIO = Buffer.from(Array.from({ length: 40_000 }, (_, index) => (index * 7) & 0xff));
const ROUTING = `
aliases:
  ears:
    targets: [openai/whisper-1]
    fallbacks: [groq/whisper-large-v3]
`;

/** Spool directories under os.tmpdir() that were not there when the suite started (another run's are not ours). */
const preexisting = new Set<string>();
const spools = () => readdirSync(tmpdir()).filter((name) => name.startsWith('switchyard-audio-') && !preexisting.has(name));

/** The spool is removed when the response closes, just after the client has its answer. */
async function spoolsRemoved(): Promise<string[]> {
  for (let wait = 0; wait < 50 && spools().length > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
  return spools();
}

describe('POST /v1/audio/transcriptions and /v1/audio/translations', () => {
  let openai: FakeOpenAIAudio;
  let groq: FakeOpenAIAudio;
  let gateway: TestGateway;
  let client: OpenAI;
  let dir: string;
  let audioPath: string;

  async function usageRow(requestId: string | null) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId!);
  }

  beforeAll(async () => {
    for (const name of spools()) preexisting.add(name);
    dir = mkdtempSync(join(tmpdir(), 'audio-e2e-'));
    audioPath = join(dir, 'speech.mp3');
    writeFileSync(audioPath, AUDIO);
    openai = await FakeOpenAIAudio.start({ surface: 'openai', apiKey: 'sk-openai', models: ['whisper-1', 'gpt-4o-transcribe'] });
    groq = await FakeOpenAIAudio.start({ surface: 'openai', apiKey: 'gsk-groq', models: ['whisper-large-v3'], durationOnly: true });
    const env = { OPENAI_API_KEY: 'sk-openai', OPENAI_BASE_URL: openai.baseUrl, GROQ_API_KEY: 'gsk-groq', GROQ_BASE_URL: groq.baseUrl, UPSTREAM_MAX_RETRIES: '0' };
    gateway = await startTestGateway(
      { ...env, GEMINI_API_KEY: 'AIza', GEMINI_BASE_URL: 'http://127.0.0.1:1', GEMINI_MODELS: 'gemini-2.5-flash', AUDIO_MAX_BYTES: '2mb' },
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
    rmSync(dir, { recursive: true, force: true });
  });

  it('transcribes a file streamed from disk, re-sent upstream as a form with every field, and meters its token usage', async () => {
    const { data, response } = await client.audio.transcriptions
      .create({
        file: createReadStream(audioPath),
        model: 'gpt-4o-transcribe',
        language: 'en',
        prompt: 'A test.',
        temperature: 0.2,
        include: ['logprobs'],
        chunking_strategy: 'auto',
      })
      .withResponse();
    expect(data.text).toBe(heardText(AUDIO));
    expect(response.headers.get('content-type')).toBe('application/json');
    const sent = openai.requests[0];
    expect(sent.file).toMatchObject({ filename: 'speech.mp3' });
    expect(sent.file!.bytes.equals(AUDIO)).toBe(true);
    expect(sent.fields).toEqual(
      expect.arrayContaining([
        ['model', 'gpt-4o-transcribe'],
        ['language', 'en'],
        ['prompt', 'A test.'],
        ['temperature', '0.2'],
        ['include[]', 'logprobs'],
        ['chunking_strategy', 'auto'],
      ]),
    );
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.headers.authorization).toBe('Bearer sk-openai');
    const row = await usageRow(response.headers.get('x-request-id'));
    expect(row).toMatchObject({ endpoint: '/v1/audio/transcriptions', model: 'gpt-4o-transcribe', stream: false, inputTokens: 47, audioInputTokens: 40 });
    expect(await spoolsRemoved()).toEqual([]);
  });

  it.each([
    ['text', 'text/plain', (text: string) => `${text}\n`],
    ['srt', 'text/plain', (text: string) => `1\n00:00:00,000 --> 00:00:02,000\n${text}\n\n`],
    ['vtt', 'text/plain', (text: string) => `WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n${text}\n\n`],
  ] as const)('relays response_format %s as the upstream sent it', async (format, type, expected) => {
    const { data, response } = await client.audio.transcriptions.create({ file: await toFile(AUDIO, 'a.wav'), model: 'whisper-1', response_format: format }).withResponse();
    expect(response.headers.get('content-type')).toContain(type);
    expect(data).toBe(expected(heardText(AUDIO)));
  });

  it('relays verbose_json with word timestamps, and stores the seconds whisper billed', async () => {
    const { data, response } = await client.audio.transcriptions
      .create({ file: await toFile(AUDIO, 'a.wav'), model: 'whisper-1', response_format: 'verbose_json', timestamp_granularities: ['word', 'segment'] })
      .withResponse();
    expect(data).toMatchObject({ task: 'transcribe', duration: 2.5, text: heardText(AUDIO) });
    expect(openai.requests[0].fields.filter(([name]) => name === 'timestamp_granularities[]')).toEqual([
      ['timestamp_granularities[]', 'word'],
      ['timestamp_granularities[]', 'segment'],
    ]);
    expect(await usageRow(response.headers.get('x-request-id'))).toMatchObject({ audioDurationMs: 3000, inputTokens: 0 });
  });

  it('relays transcript.text.delta / transcript.text.done events with stream: true, metering the done usage', async () => {
    const { data: stream, response } = await client.audio.transcriptions.create({ file: await toFile(AUDIO, 'a.wav'), model: 'gpt-4o-transcribe', stream: true }).withResponse();
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'transcript.text.delta') text += event.delta;
    }
    expect(text).toBe(heardText(AUDIO));
    expect(types.at(-1)).toBe('transcript.text.done');
    expect(await usageRow(response.headers.get('x-request-id'))).toMatchObject({
      stream: true,
      inputTokens: 47,
      audioInputTokens: 40,
      outputTokens: Math.ceil(heardText(AUDIO).length / 4),
    });
  });

  it('translates with /v1/audio/translations', async () => {
    const translation = await client.audio.translations.create({ file: await toFile(AUDIO, 'french.mp3'), model: 'whisper-1', response_format: 'verbose_json' });
    expect(translation).toMatchObject({ task: 'translate', text: heardText(AUDIO) });
    expect(openai.requests[0].path).toBe('/v1/audio/translations');
  });

  it('takes fields sent after the file, and a file larger than the memory spool (spilled to disk, then removed)', async () => {
    const big = Buffer.alloc(1536 * 1024, 7);
    const form = new FormData();
    form.append('file', new Blob([big], { type: 'audio/wav' }), 'big.wav');
    form.append('model', 'whisper-1');
    form.append('response_format', 'text');
    form.append('timestamp_granularities', 'segment');
    const response = await fetch(`${gateway.url}/v1/audio/transcriptions`, { method: 'POST', headers: { authorization: `Bearer ${TEST_MASTER_KEY}` }, body: form });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`${heardText(big)}\n`);
    const sent = openai.requests[0];
    expect(sent.file).toMatchObject({ filename: 'big.wav', contentType: 'audio/wav' });
    expect(sent.fields).toEqual([
      ['model', 'whisper-1'],
      ['response_format', 'text'],
      ['timestamp_granularities[]', 'segment'],
    ]);
    expect(await spoolsRemoved()).toEqual([]);
  });

  it('records a client that leaves mid-upload as 499 and removes what was spooled', async () => {
    const boundary = 'leaving';
    const req = request(`${gateway.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_MASTER_KEY}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': '1900000',
        'x-request-id': 'audio-client-left',
      },
    });
    req.on('error', () => undefined);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`);
    req.write(Buffer.alloc(1_500_000, 3));
    await new Promise((resolve) => setTimeout(resolve, 200));
    req.destroy();
    expect(await spoolsRemoved()).toEqual([]);
    for (let wait = 0; wait < 50 && !(await usageRow('audio-client-left')); wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await usageRow('audio-client-left')).toMatchObject({ status: 499, endpoint: '/v1/audio/transcriptions' });
    expect(openai.requests).toHaveLength(0);
  });

  it('fails over to the next target with the same file when the first answers 503', async () => {
    openai.enqueue({ kind: 'status', status: 503 });
    const { data, response } = await client.audio.transcriptions.create({ file: await toFile(AUDIO, 'a.wav'), model: 'ears', response_format: 'verbose_json' }).withResponse();
    expect(data.text).toBe(heardText(AUDIO));
    expect(response.headers.get('x-switchyard-provider')).toBe('groq');
    expect(groq.requests[0].fields[0]).toEqual(['model', 'whisper-large-v3']);
    // Groq reports only verbose_json's duration: that is what is stored.
    expect(await usageRow(response.headers.get('x-request-id'))).toMatchObject({ provider: 'groq', audioDurationMs: 2500 });
  });
});
