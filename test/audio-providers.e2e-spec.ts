import { request } from 'node:http';
import OpenAI, { toFile } from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeOpenAIAudio, heardText, SPEECH_SIZE, speechBytes } from './support/fake-audio';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const AUDIO = Buffer.from(Array.from({ length: 20_000 }, (_, index) => (index * 13) & 0xff));
type APIError = InstanceType<typeof OpenAI.APIError>;

/** Sends `size` bytes of a form in chunks with no Content-Length, as a streaming client does. */
function chunkedUpload(url: string, size: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const boundary = 'chunked-test-boundary';
    const req = request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
    });
    req.once('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n`);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.wav"\r\nContent-Type: audio/wav\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 1);
    for (let sent = 0; sent < size; sent += chunk.length) req.write(chunk);
    req.end(`\r\n--${boundary}--\r\n`);
  });
}

describe('audio routes across providers, limits and bad input', () => {
  let azure: FakeOpenAIAudio;
  let vllm: FakeOpenAIAudio;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    azure = await FakeOpenAIAudio.start({ surface: 'azure', apiKey: 'azure-key' });
    vllm = await FakeOpenAIAudio.start({ surface: 'openai', models: ['whisper-large-v3'] });
    gateway = await startTestGateway({
      AZURE_API_KEY: 'azure-key',
      AZURE_BASE_URL: azure.baseUrl,
      AZURE_MODELS: 'tts-prod,whisper-prod,gpt-4o-transcribe-prod',
      VLLM_BASE_URL: vllm.baseUrl,
      VLLM_AUDIO: 'true',
      GEMINI_API_KEY: 'AIza',
      GEMINI_BASE_URL: 'http://127.0.0.1:1',
      GEMINI_MODELS: 'gemini-2.5-flash',
      AUDIO_MAX_BYTES: '1mb',
      UPSTREAM_MAX_RETRIES: '0',
    });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    // Booting a gateway on a loaded shared VM can take longer than the default 5 s hook timeout.
  }, 30_000);

  afterEach(() => {
    azure.reset();
    vllm.reset();
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([azure?.close(), vllm?.close()]);
  });

  it('speaks through an Azure deployment: deployment path, api-version, api-key header', async () => {
    const input = 'Hello from Azure.';
    const response = await client.audio.speech.create({ model: 'azure/tts-prod', voice: 'alloy', input });
    expect(Buffer.from(await response.arrayBuffer()).equals(speechBytes(input, SPEECH_SIZE))).toBe(true);
    const sent = azure.requests[0];
    expect(sent.url).toBe('/openai/deployments/tts-prod/audio/speech?api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe('azure-key');
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('transcribes through an Azure deployment, and translates', async () => {
    const transcription = await client.audio.transcriptions.create({ file: await toFile(AUDIO, 'a.wav'), model: 'azure/gpt-4o-transcribe-prod' });
    expect(transcription.text).toBe(heardText(AUDIO));
    expect(azure.requests[0].url).toBe('/openai/deployments/gpt-4o-transcribe-prod/audio/transcriptions?api-version=2024-10-21');
    expect(azure.requests[0].fields[0]).toEqual(['model', 'gpt-4o-transcribe-prod']);
    const translation = await client.audio.translations.create({ file: await toFile(AUDIO, 'a.wav'), model: 'azure/whisper-prod' });
    expect(translation.text).toBe(heardText(AUDIO));
    expect(azure.requests[1].url).toBe('/openai/deployments/whisper-prod/audio/translations?api-version=2024-10-21');
  });

  it('serves an OpenAI-compatible server configured for audio (VLLM_AUDIO=true)', async () => {
    const { data, response } = await client.audio.transcriptions
      .create({ file: await toFile(AUDIO, 'a.wav'), model: 'whisper-large-v3', response_format: 'verbose_json' })
      .withResponse();
    expect(data.text).toBe(heardText(AUDIO));
    expect(response.headers.get('x-switchyard-provider')).toBe('vllm');
    // A keyless server gets no Authorization header.
    expect(vllm.requests[0].headers.authorization).toBeUndefined();
    await gateway.app.get(UsageWriter).flush();
    expect(await gateway.app.get(UsageRepository).findByRequestId(response.headers.get('x-request-id')!)).toMatchObject({ audioDurationMs: 2000 });
  });

  it('answers 400 for a provider without audio (Gemini), naming the model', async () => {
    const error = (await client.audio.transcriptions
      .create({ file: await toFile(AUDIO, 'a.wav'), model: 'gemini/gemini-2.5-flash' })
      .catch((caught: unknown) => caught)) as APIError;
    expect(error.status).toBe(400);
    expect(error.param).toBe('model');
    expect(error.message).toContain("'gemini-2.5-flash'");
    expect(error.message).toContain('does not support transcription');
  });

  it('refuses a form without model, or without file, with a 400 naming the param', async () => {
    const noModel = (await client.audio.transcriptions.create({ file: await toFile(AUDIO, 'a.wav') } as never).catch((caught: unknown) => caught)) as APIError;
    expect(noModel.status).toBe(400);
    expect(noModel.param).toBe('model');
    const noFile = (await client.audio.translations.create({ model: 'whisper-large-v3' } as never).catch((caught: unknown) => caught)) as APIError;
    expect(noFile.status).toBe(400);
    expect(noFile.param).toBe('file');
    const notAForm = await fetch(`${gateway.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
      body: '{"model":"whisper-1"}',
    });
    expect(notAForm.status).toBe(400);
    expect(((await notAForm.json()) as { error: { param: string } }).error.param).toBe('file');
    expect(vllm.requests).toHaveLength(0);
  });

  it.each([
    [
      'a truncated form',
      `--b\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-large-v3\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF`,
    ],
    ['garbage', 'not a multipart body at all'],
    [
      'a second file part',
      `--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF\r\n--b\r\nContent-Disposition: form-data; name="extra"; filename="b.wav"\r\n\r\nRIFF\r\n--b--\r\n`,
    ],
  ])('answers %s with a 4xx in the OpenAI envelope, never a 5xx', async (_name, body) => {
    const response = await fetch(`${gateway.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'multipart/form-data; boundary=b' },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect(vllm.requests).toHaveLength(0);
  });

  it('documents the three routes in the OpenAPI document', async () => {
    const document = (await (await fetch(`${gateway.url}/swagger/json`)).json()) as { paths: Record<string, any> };
    expect(document.paths['/v1/audio/speech'].post.requestBody.content['application/json'].schema.required).toEqual(['model', 'input', 'voice']);
    for (const path of ['/v1/audio/transcriptions', '/v1/audio/translations']) {
      const form = document.paths[path].post.requestBody.content['multipart/form-data'].schema;
      expect(form.required).toEqual(['file', 'model']);
      expect(form.properties.file).toMatchObject({ type: 'string', format: 'binary' });
      expect(Object.keys(document.paths[path].post.responses)).toEqual(expect.arrayContaining(['200', '400', '413']));
    }
  });

  it('answers 413 in the OpenAI envelope for a file over AUDIO_MAX_BYTES, declared or streamed', async () => {
    const declared = (await client.audio.transcriptions
      .create({ file: await toFile(Buffer.alloc(2_500_000), 'big.wav'), model: 'whisper-large-v3' })
      .catch((caught: unknown) => caught)) as APIError;
    expect(declared.status).toBe(413);
    expect(declared.param).toBe('file');
    expect(declared.message).toContain('AUDIO_MAX_BYTES');
    const streamed = await chunkedUpload(`${gateway.url}/v1/audio/transcriptions`, 1_200_000);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ error: { param: 'file', code: 'file_too_large', type: 'invalid_request_error' } });
    expect(vllm.requests).toHaveLength(0);
  });
});
