import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGarbageUpstream, type GarbageReply } from './support/fake-garbage';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { GATEWAY_MAIN, type GatewayProcess, startGatewayProcess } from './support/gateway-process';

const MASTER_KEY = 'sy-not-sse-key';
const CLAUDE = 'claude-sonnet-4-5';
const BEDROCK_MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const messages = [{ role: 'user', content: 'hi' }];

/** Every request shape that asks an upstream for a stream, with the status the gateway must answer when it gets no stream. */
const SHAPES: Array<{ name: string; path: string; body: Record<string, unknown>; status?: number }> = [
  { name: 'chat → OpenAI', path: '/v1/chat/completions', body: { model: 'openai/gpt-4o-mini', messages, stream: true }, status: 502 },
  { name: 'chat → Anthropic', path: '/v1/chat/completions', body: { model: `anthropic/${CLAUDE}`, messages, stream: true }, status: 502 },
  { name: 'chat → Gemini', path: '/v1/chat/completions', body: { model: 'gemini/gemini-2.5-flash', messages, stream: true }, status: 502 },
  { name: 'chat → Bedrock', path: '/v1/chat/completions', body: { model: `bedrock/${BEDROCK_MODEL}`, messages, stream: true }, status: 502 },
  { name: 'translated /v1/messages', path: '/v1/messages', body: { model: 'openai/gpt-4o-mini', max_tokens: 16, messages, stream: true }, status: 502 },
  { name: 'translated /v1/responses', path: '/v1/responses', body: { model: `anthropic/${CLAUDE}`, input: 'hi', stream: true }, status: 502 },
  // Native shapes relay what the provider sent; here only survival is at stake.
  { name: 'native /v1/messages', path: '/v1/messages', body: { model: `anthropic/${CLAUDE}`, max_tokens: 16, messages, stream: true } },
  { name: 'native /v1/responses', path: '/v1/responses', body: { model: 'openai/gpt-4o-mini', input: 'hi', stream: true } },
];
const REPLIES: GarbageReply[] = ['json', 'html', 'empty'];

function post(gateway: GatewayProcess, path: string, body: unknown, requestId: string): Promise<Response> {
  const headers = { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', 'x-request-id': requestId };
  return fetch(`${gateway.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/**
 * A 200 that is not an event stream used to kill the whole process a moment after its 502 (an
 * unhandled 'error' from destroying the undici body). The gateway runs as its own process so that
 * such a crash fails this test: the next request finds nobody listening, and the exit is seen.
 */
describe('upstream answers 200 without an event stream to a streaming request', () => {
  let garbage: FakeGarbageUpstream;
  let healthy: FakeOpenAIUpstream;
  let gateway: GatewayProcess;
  let dataDir: string;

  beforeAll(async () => {
    expect(existsSync(GATEWAY_MAIN)).toBe(true); // npm test builds dist/ before running the suites
    [garbage, healthy] = await Promise.all([FakeGarbageUpstream.start(), FakeOpenAIUpstream.start()]);
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-not-sse-'));
    gateway = await startGatewayProcess({
      DATA_DIR: dataDir,
      SWITCHYARD_MASTER_KEY: MASTER_KEY,
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: `${garbage.url}/v1`,
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: garbage.url,
      GEMINI_API_KEY: 'k',
      GEMINI_BASE_URL: garbage.url,
      BEDROCK_REGION: 'us-east-1',
      BEDROCK_BASE_URL: garbage.url,
      BEDROCK_MODELS: BEDROCK_MODEL,
      AWS_BEARER_TOKEN_BEDROCK: 'bedrock-key',
      OPENAI_HEALTHY_API_KEY: 'k',
      OPENAI_HEALTHY_BASE_URL: healthy.baseUrl,
      // Every case must reach the upstream: an open circuit would answer before the body exists.
      CIRCUIT_BREAKER_THRESHOLD: '1000',
      UPSTREAM_MAX_RETRIES: '0',
    });
  }, 30_000);

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([garbage?.close(), healthy?.close()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const cases = SHAPES.flatMap((shape) => REPLIES.map((reply) => ({ ...shape, reply })));

  it.each(cases)('$name, upstream 200 with $reply: answered, and the process serves on', async ({ path, body, status, reply }) => {
    garbage.answerWith(reply);
    const answer = await post(gateway, path, body, `not-sse-${reply}`);
    await answer.text();
    if (status !== undefined) expect(answer.status).toBe(status);

    const next = await post(gateway, '/v1/chat/completions', { model: 'openai-healthy/gpt-4o-mini', messages }, 'after-not-sse');
    expect(next.status).toBe(200);
    expect(((await next.json()) as { object: string }).object).toBe('chat.completion');
    expect(gateway.child.exitCode).toBeNull();
  });

  it('never logged an uncaught exception', async () => {
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(gateway.child.exitCode).toBeNull();
    expect(gateway.output()).not.toMatch(/uncaught|RequestAbortedError/i);
  });
});
