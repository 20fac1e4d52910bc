import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { completionBody, nextIds, readChatRequest } from '../support/fake-upstream/chat-completion-builder';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

/**
 * A minimal Ollama: its OpenAI-compatible `/v1/chat/completions` and `/v1/models`, and the native
 * `POST /api/embed` (`{model, input}` → `{model, embeddings, total_duration, load_duration, prompt_eval_count}`).
 */
async function startFakeOllama(received: Received[]): Promise<{ server: Server; root: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const send = (status: number, payload: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      if (req.url === '/v1/models')
        return send(200, {
          object: 'list',
          data: [
            { id: 'llama3.2:latest', object: 'model', created: 1, owned_by: 'library' },
            { id: 'nomic-embed-text:latest', object: 'model', created: 1, owned_by: 'library' },
          ],
        });
      if (req.url === '/v1/chat/completions') return send(200, completionBody(readChatRequest(body) as never, { kind: 'ok', content: 'Hi from llama' }, nextIds()));
      if (req.url === '/api/embed') {
        if (body.model !== 'nomic-embed-text:latest') return send(404, { error: `model "${body.model}" not found, try pulling it first` });
        const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
        return send(200, {
          model: body.model,
          embeddings: inputs.map((text) => [text.length, 0.5]),
          total_duration: 1000,
          load_duration: 10,
          prompt_eval_count: inputs.length * 3,
        });
      }
      send(404, { error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, root: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('Ollama through the gateway', () => {
  const received: Received[] = [];
  let ollama: { server: Server; root: string };
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    ollama = await startFakeOllama(received);
    // OLLAMA_BASE_URL as Ollama prints it (no /v1); OLLAMA_V1 as its OpenAI-compatible URL.
    gateway = await startTestGateway({ OLLAMA_BASE_URL: ollama.root, OLLAMA_V1_BASE_URL: `${ollama.root}/v1` });
    client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => ollama?.server.close(resolve));
  });

  beforeEach(() => (received.length = 0));

  it('chats through the OpenAI-compatible /v1 surface with either base URL form, without any key', async () => {
    for (const model of ['ollama/llama3.2:latest', 'ollama-v1/llama3.2:latest']) {
      const completion = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
      expect(completion.choices[0].message.content).toBe('Hi from llama');
    }
    expect(received.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(received.every((request) => request.headers.authorization === undefined)).toBe(true);
  });

  it('embeds through the native /api/embed, translated to the OpenAI shape (SDK default base64)', async () => {
    const result = await client.embeddings.create({ model: 'nomic-embed-text:latest', input: ['abcd', 'ab'] }, { headers: { 'X-Request-ID': 'ollama-embed' } });
    expect(result.data.map((item) => Array.from(item.embedding))).toEqual([
      [4, 0.5],
      [2, 0.5],
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    expect(received.at(-1)).toMatchObject({ path: '/api/embed', body: { model: 'nomic-embed-text:latest', input: ['abcd', 'ab'] } });
    await gateway.app.get(UsageWriter).flush();
    expect(await gateway.app.get(UsageRepository).findByRequestId('ollama-embed')).toMatchObject({ provider: 'ollama', inputTokens: 6, status: 200 });
  });

  it('embeds floats on request through the /v1-configured instance as well', async () => {
    const result = await client.embeddings.create({ model: 'ollama-v1/nomic-embed-text:latest', input: 'abc', encoding_format: 'float' });
    expect(result.data[0].embedding).toEqual([3, 0.5]);
    expect(received.at(-1)!.path).toBe('/api/embed');
  });

  it("relays Ollama's error for a model that is not pulled", async () => {
    const error = await client.embeddings.create({ model: 'ollama/llama3.2:latest', input: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toContain('try pulling it first');
  });
});

describe('vLLM through the gateway', () => {
  it('sends Authorization only when VLLM_API_KEY is configured', async () => {
    const upstream = await FakeOpenAIUpstream.start({ models: ['meta-llama/Llama-3.1-8B-Instruct'] });
    const gateway = await startTestGateway({ VLLM_BASE_URL: upstream.baseUrl, VLLM_KEYED_BASE_URL: upstream.baseUrl, VLLM_KEYED_API_KEY: 'vllm-token' });
    try {
      const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      await client.chat.completions.create({ model: 'vllm/meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Hi' }] });
      expect(upstream.requests.at(-1)!.headers.authorization).toBeUndefined();
      await client.chat.completions.create({ model: 'vllm-keyed/meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.1 });
      expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer vllm-token');
      expect(upstream.requests.at(-1)!.body).toEqual({ model: 'meta-llama/Llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.1 });
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });
});
