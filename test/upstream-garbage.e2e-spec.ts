import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { shutdownGateway } from '../apps/gateway/src/bootstrap';
import { FakeGarbageUpstream, type GarbageReply } from './support/fake-garbage';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const CLAUDE = 'claude-sonnet-4-5';
const BEDROCK_MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const messages = [{ role: 'user', content: 'hi' }];

/** Non-streaming routes whose answer the gateway reads or relays, and the envelope each answers errors in. */
const ROUTES: Array<{ name: string; path: string; body: Record<string, unknown>; dialect: 'openai' | 'anthropic' }> = [
  { name: 'chat → OpenAI', path: '/v1/chat/completions', body: { model: 'openai/gpt-4o-mini', messages }, dialect: 'openai' },
  { name: 'chat → Anthropic', path: '/v1/chat/completions', body: { model: `anthropic/${CLAUDE}`, messages }, dialect: 'openai' },
  { name: 'chat → Gemini', path: '/v1/chat/completions', body: { model: 'gemini/gemini-2.5-flash', messages }, dialect: 'openai' },
  { name: 'chat → Bedrock', path: '/v1/chat/completions', body: { model: `bedrock/${BEDROCK_MODEL}`, messages }, dialect: 'openai' },
  { name: 'embeddings → OpenAI', path: '/v1/embeddings', body: { model: 'openai/text-embedding-3-small', input: 'hi' }, dialect: 'openai' },
  { name: 'embeddings → Gemini', path: '/v1/embeddings', body: { model: 'gemini/gemini-embedding-001', input: 'hi' }, dialect: 'openai' },
  { name: 'translated /v1/messages → OpenAI', path: '/v1/messages', body: { model: 'openai/gpt-4o-mini', max_tokens: 16, messages }, dialect: 'anthropic' },
  { name: 'translated /v1/responses → Groq', path: '/v1/responses', body: { model: 'groq/llama-3.3-70b-versatile', input: 'hi' }, dialect: 'openai' },
  { name: 'translated /v1/responses → Anthropic', path: '/v1/responses', body: { model: `anthropic/${CLAUDE}`, input: 'hi' }, dialect: 'openai' },
];
const REPLIES: GarbageReply[] = ['invalid-json', 'html', 'empty', 'reset-mid-body'];
const CASES = ROUTES.flatMap((route) => REPLIES.map((reply, index) => ({ ...route, reply, requestId: `garbage-${ROUTES.indexOf(route)}-${index}` })));

/**
 * An upstream 200 whose body is not the JSON asked for is the upstream's failure: 502 in the
 * route's envelope (never the gateway's own 500), and the usage row says so.
 */
describe('upstream answers 200 with a body that is not JSON', () => {
  let garbage: FakeGarbageUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    garbage = await FakeGarbageUpstream.start();
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: `${garbage.url}/v1`,
      GROQ_API_KEY: 'k',
      GROQ_BASE_URL: `${garbage.url}/openai/v1`,
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: garbage.url,
      GEMINI_API_KEY: 'k',
      GEMINI_BASE_URL: garbage.url,
      BEDROCK_REGION: 'us-east-1',
      BEDROCK_BASE_URL: garbage.url,
      BEDROCK_MODELS: BEDROCK_MODEL,
      AWS_BEARER_TOKEN_BEDROCK: 'bedrock-key',
      // Each garbage answer counts against its provider; the table must reach the upstream every time.
      CIRCUIT_BREAKER_THRESHOLD: '1000',
      USAGE_FLUSH_INTERVAL: '1h',
    });
  });
  afterAll(async () => {
    await gateway.close().catch(() => undefined);
    rmSync(gateway.dataDir, { recursive: true, force: true });
    await garbage.close();
  });

  it.each(CASES)('$name, upstream 200 with $reply → 502 $dialect envelope', async ({ path, body, dialect, reply, requestId }) => {
    garbage.answerWith(reply);
    const headers = { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json', 'x-request-id': requestId };
    const answer = await fetch(`${gateway.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const envelope = (await answer.json()) as Record<string, any>;
    expect(answer.status).toBe(502);
    if (dialect === 'anthropic') expect(envelope).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    else expect(envelope.error).toMatchObject({ type: 'upstream_error' });
    expect(JSON.stringify(envelope)).not.toMatch(/Sign in to the network|oops|resp_cut/);
  });

  it('records every one of them as a 502 in the usage log', async () => {
    // Shutting down flushes the usage writer (its timer is an hour): the rows are all there afterwards.
    await shutdownGateway(gateway.app);
    const db = new Database(join(gateway.dataDir, 'switchyard.db'), { readonly: true });
    const rows = db.prepare("SELECT request_id, status FROM usage_records WHERE request_id LIKE 'garbage-%'").all() as Array<{ request_id: string; status: number }>;
    db.close();
    expect(new Map(rows.map((row) => [row.request_id, row.status]))).toEqual(new Map(CASES.map((entry) => [entry.requestId, 502])));
  });
});
