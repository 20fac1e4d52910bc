import { join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

describe('operations endpoints', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start();
    gateway = await startTestGateway({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: upstream.baseUrl });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('GET /health answers ok without checking dependencies', async () => {
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /health/ready reports each component', async () => {
    const response = await fetch(`${gateway.url}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; details: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(body.details.database.status).toBe('up');
    expect(body.details.redis).toMatchObject({ status: 'up', store: 'memory' });
  });

  it('exposes request, upstream, token and TTFT metrics labelled by route template and provider', async () => {
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }] });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const _chunk of stream);
    await client.models.list();
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/switchyard_http_requests_total\{route="\/v1\/chat\/completions",method="POST",status="200"\} \d+/);
    expect(text).toMatch(/switchyard_http_requests_total\{route="\/v1\/models",method="GET",status="200"\} \d+/);
    expect(text).toMatch(/switchyard_upstream_requests_total\{provider="openai",model="gpt-4o-mini",status="200"\} \d+/);
    expect(text).toMatch(/switchyard_tokens_total\{provider="openai",model="gpt-4o-mini",kind="input"\} \d+/);
    expect(text).toMatch(/switchyard_time_to_first_token_seconds_count\{provider="openai",model="gpt-4o-mini"\} \d+/);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).not.toContain(TEST_MASTER_KEY);
  });

  it('serves Swagger UI and an OpenAPI document describing the chat, embeddings and models routes', async () => {
    const ui = await fetch(`${gateway.url}/swagger/index.html`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const document = (await (await fetch(`${gateway.url}/swagger/json`)).json()) as { paths: Record<string, any>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/chat/completions', '/v1/embeddings', '/v1/models', '/health', '/health/ready']));
    expect(document.paths['/v1/chat/completions'].post.responses['200'].content).toHaveProperty('text/event-stream');
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['ChatCompletionRequestDto', 'ChatCompletionDto', 'ChatCompletionChunkDto', 'OpenAIErrorEnvelopeDto', 'ModelListDto']),
    );
  });

  it('answers unknown routes with a 404 in the OpenAI envelope', async () => {
    const response = await fetch(`${gateway.url}/v1/nope`, { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight streams, refuses new connections, and flushes every usage record', async () => {
    const upstream = await FakeOpenAIUpstream.start();
    const gateway = await startTestGateway({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: upstream.baseUrl, USAGE_FLUSH_INTERVAL: '1h', USAGE_FLUSH_BATCH_SIZE: '1000' });
    const dbFile = join(gateway.dataDir, 'switchyard.db');
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    try {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'before' }] }, { headers: { 'X-Request-ID': 'drain-before' } });
      upstream.setDefault({ kind: 'ok', content: 'a b c d e f g h', eventDelayMs: 60 });
      const stream = await client.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow' }], stream: true },
        { headers: { 'X-Request-ID': 'drain-stream' } },
      );

      // Shut down (what SIGTERM does in main.ts) while the stream is still running.
      const shutdown = (await import('../apps/gateway/src/bootstrap')).shutdownGateway(gateway.app);
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe('a b c d e f g h');
      await shutdown;
      await expect(fetch(`${gateway.url}/health`)).rejects.toThrow();

      // The writer's hourly timer never fired: only the shutdown flush can have written these rows.
      const db = new Database(dbFile, { readonly: true });
      const rows = db.prepare('SELECT request_id, status, stream FROM usage_records ORDER BY request_id').all();
      db.close();
      expect(rows).toEqual([
        { request_id: 'drain-before', status: 200, stream: 0 },
        { request_id: 'drain-stream', status: 200, stream: 1 },
      ]);
    } finally {
      await gateway.close().catch(() => undefined);
      await upstream.close();
    }
  });
});
