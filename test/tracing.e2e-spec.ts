import { SpanKind } from '@opentelemetry/api';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { startTracing, stopTracing } from '@app/observability';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { GATEWAY_MAIN } from './support/gateway-process';

const ROUTING = `
aliases:
  primary:
    targets: [openai/gpt-4o]
    fallbacks: [groq/gpt-4o-mini]
`;
const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('OpenTelemetry tracing (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let openai: FakeOpenAIUpstream;
  let groq: FakeOpenAIUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    expect(startTracing({ exporter })).toBe(true);
    openai = await FakeOpenAIUpstream.start({ models: ['gpt-4o'] });
    groq = await FakeOpenAIUpstream.start({ models: ['gpt-4o-mini'] });
    gateway = await startTestGateway(
      { OPENAI_API_KEY: 'sk-o', OPENAI_BASE_URL: openai.baseUrl, GROQ_API_KEY: 'gsk', GROQ_BASE_URL: groq.baseUrl, UPSTREAM_MAX_RETRIES: '0' },
      { routingYaml: ROUTING },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await openai?.close();
    await groq?.close();
    await stopTracing();
  });

  it('has a request span and one child span per attempt in GenAI conventions, and sends traceparent upstream', async () => {
    openai.enqueue({ kind: 'status', status: 500 });
    groq.setDefault({ kind: 'ok', content: 'traced answer' });
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create(
      { model: 'primary', messages: [{ role: 'user', content: 'trace me' }], stream: true, stream_options: { include_usage: true } },
      { headers: { traceparent: `00-${CLIENT_TRACE}-b7ad6b7169203331-01` } },
    );
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    // The request span ends when the response closes, just after the client read the end.
    const deadline = Date.now() + 10_000;
    while (!exporter.getFinishedSpans().some((span) => span.kind === SpanKind.SERVER) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));

    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.kind === SpanKind.SERVER) as ReadableSpan; // SERVER
    const attempts = spans.filter((span) => span.kind === SpanKind.CLIENT).sort((a, b) => Number(a.attributes['switchyard.attempt']) - Number(b.attributes['switchyard.attempt'])); // CLIENT
    expect(request.spanContext().traceId).toBe(CLIENT_TRACE); // the client's trace continues
    expect(request.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'primary',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.provider.name': 'groq',
      'gen_ai.usage.input_tokens': usage!.prompt_tokens,
      'gen_ai.usage.output_tokens': usage!.completion_tokens,
      'http.response.status_code': 200,
    });
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.spanContext().traceId).toBe(CLIENT_TRACE);
      expect(attempt.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    }
    expect(attempts[0].attributes).toMatchObject({ 'gen_ai.request.model': 'gpt-4o', 'switchyard.provider': 'openai', 'http.response.status_code': 500 });
    expect(attempts[0].status.code).toBe(2); // ERROR
    expect(attempts[1].attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'switchyard.provider': 'groq',
      'gen_ai.usage.input_tokens': usage!.prompt_tokens,
      'gen_ai.usage.output_tokens': usage!.completion_tokens,
    });
    // Each upstream saw its own attempt's span as the parent.
    const sent = (upstream: FakeOpenAIUpstream) => upstream.requests.find((r) => r.path === '/v1/chat/completions')!.headers.traceparent;
    expect(sent(openai)).toBe(`00-${CLIENT_TRACE}-${attempts[0].spanContext().spanId}-01`);
    expect(sent(groq)).toBe(`00-${CLIENT_TRACE}-${attempts[1].spanContext().spanId}-01`);
  });
});

describe('tracing off (the default)', () => {
  it('never loads an OpenTelemetry module and sends no traceparent', async () => {
    const upstream = await FakeOpenAIUpstream.start();
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-otel-off-'));
    const probe = join(dir, 'probe.js');
    // Printed at exit: every OpenTelemetry SDK module the process loaded. (@opentelemetry/api itself is
    // required by prom-client for its exemplars whenever it is installed; it is the SDK that costs.)
    writeFileSync(
      probe,
      `process.on('exit', () => process.stderr.write('OTEL_MODULES=' + Object.keys(require.cache).filter((k) => k.includes('@opentelemetry') && !k.includes('@opentelemetry/api/')).join(',') + '\\n'));`,
    );
    try {
      const child = spawn(
        process.execPath,
        [
          '--require',
          probe,
          '-e',
          `
        process.env.OPENAI_API_KEY = 'k'; process.env.OPENAI_BASE_URL = ${JSON.stringify(upstream.baseUrl)};
        process.env.DATA_DIR = ${JSON.stringify(dir)}; process.env.PORT = '0'; process.env.HOST = '127.0.0.1'; process.env.LOG_LEVEL = 'silent';
        const { loadConfig } = require(${JSON.stringify(join(GATEWAY_MAIN, '../../../../libs/config/src'))});
        const { createGateway, shutdownGateway } = require(${JSON.stringify(join(GATEWAY_MAIN, '../bootstrap'))});
        (async () => {
          const app = await createGateway(loadConfig());
          await app.listen(0, '127.0.0.1');
          const port = app.getHttpServer().address().port;
          const answer = await fetch('http://127.0.0.1:' + port + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) });
          process.stderr.write('STATUS=' + answer.status + '\\n');
          await shutdownGateway(app);
          process.exit(0);
        })();`,
        ],
        { env: { PATH: process.env.PATH }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise((done) => child.once('exit', done));
      expect({ code, output }).toMatchObject({ code: 0, output: expect.stringContaining('STATUS=200') });
      expect(output).toContain('OTEL_MODULES=\n');
      expect(upstream.requests[0].headers.traceparent).toBeUndefined();
    } finally {
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
