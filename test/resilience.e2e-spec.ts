import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const prompt = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'x' }] };

describe('upstream resilience', () => {
  let upstream: FakeOpenAIUpstream;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start();
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.reset());

  async function gatewayWith(env: Record<string, string>): Promise<{ gateway: TestGateway; client: OpenAI }> {
    const gateway = await startTestGateway({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: upstream.baseUrl, ...env });
    return { gateway, client: new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 }) };
  }

  it('opens the circuit after repeated failures, fails fast with 503, and closes after the cooldown', async () => {
    const { gateway, client } = await gatewayWith({ CIRCUIT_BREAKER_THRESHOLD: '2', CIRCUIT_BREAKER_COOLDOWN: '300ms', UPSTREAM_MAX_RETRIES: '0' });
    try {
      upstream.setDefault({ kind: 'status', status: 500 });
      for (let i = 0; i < 2; i++) await expect(client.chat.completions.create(prompt)).rejects.toMatchObject({ status: 502 });
      const open = await client.chat.completions.create(prompt).catch((e) => e);
      expect(open).toBeInstanceOf(OpenAI.InternalServerError);
      expect(open.status).toBe(503);
      expect(open.code).toBe('provider_unavailable');
      expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(2);

      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/switchyard_circuit_breaker_state\{provider="openai"\} 2/);

      upstream.setDefault({ kind: 'ok', content: 'healthy again' });
      await new Promise((resolve) => setTimeout(resolve, 350));
      const recovered = await client.chat.completions.create(prompt);
      expect(recovered.choices[0].message.content).toBe('healthy again');
    } finally {
      await gateway.close();
    }
  });

  it('answers 504 when the upstream is slower than the first-byte timeout', async () => {
    const { gateway, client } = await gatewayWith({ HTTP_FIRST_BYTE_TIMEOUT: '200ms' });
    try {
      upstream.enqueue({ kind: 'slow-first-byte', delayMs: 1000 });
      const error = await client.chat.completions.create(prompt).catch((e) => e);
      expect(error.status).toBe(504);
      expect(error.error.type).toBe('timeout_error');
    } finally {
      await gateway.close();
    }
  });

  it('answers 504 when a non-streaming exchange exceeds the total timeout', async () => {
    const { gateway, client } = await gatewayWith({ HTTP_TIMEOUT: '300ms' });
    try {
      upstream.enqueue({ kind: 'hang' });
      const error = await client.chat.completions.create(prompt).catch((e) => e);
      expect(error.status).toBe(504);
    } finally {
      await gateway.close();
    }
  });

  it('answers 502 when the upstream cannot be reached at all', async () => {
    const gateway = await startTestGateway({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_MODELS: 'gpt-4o-mini', UPSTREAM_MAX_RETRIES: '1' });
    try {
      const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const error = await client.chat.completions.create(prompt).catch((e) => e);
      expect(error.status).toBe(502);
      expect(error.message).toContain('could not be reached');
    } finally {
      await gateway.close();
    }
  });
});

describe('client disconnect', () => {
  let server: Server;
  let upstreamClosed: Promise<void>;
  let markClosed: () => void;

  beforeAll(async () => {
    // A minimal upstream that starts a stream and then waits, reporting when its request goes away.
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      if (request.url === '/v1/models') {
        response.end(JSON.stringify({ object: 'list', data: [{ id: 'slow-model', object: 'model', created: 0, owned_by: 'test' }] }));
        return;
      }
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(
        `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'slow-model', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }] })}\n\n`,
      );
      response.on('close', () => markClosed());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('aborts the upstream call when the client goes away mid-stream', async () => {
    upstreamClosed = new Promise((resolve) => (markClosed = resolve));
    const port = (server.address() as AddressInfo).port;
    const gateway = await startTestGateway({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
    try {
      const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: 'slow-model', messages: [{ role: 'user', content: 'x' }], stream: true });
      for await (const chunk of stream) {
        expect(chunk.choices[0].delta.content).toBe('Hel');
        break; // leaving the loop aborts the HTTP request
      }
      await expect(Promise.race([upstreamClosed.then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open'), 2000))])).resolves.toBe('closed');
    } finally {
      server.closeAllConnections();
      await gateway.close();
    }
  });
});
