// Jest-only (describe/it/expect): kept out of test/support, which the production build compiles.
import { FakeResponsesUpstream } from '../support/fake-responses';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';
import { type RawAnswer, rawRequest } from '../support/passthrough';
import {
  type BadInputCase,
  badInputCases,
  CHAT_MODEL,
  CORPUS_BODY_LIMIT,
  type CorpusFixtures,
  type Dialect,
  fillFixtures,
  NATIVE_MODEL,
} from '../support/bad-input/bad-input-corpus';

const NATIVE_KEY = 'sk-corpus-native';
const CHAT_KEY = 'gsk-corpus-chat';
const AUTH = { authorization: `Bearer ${TEST_MASTER_KEY}` };

/** Why `answer` is not a clean answer in the route's dialect, or null when it is. */
export function envelopeProblem(answer: RawAnswer, dialect: Dialect): string | null {
  if (answer.status >= 500) return `status ${answer.status}: ${answer.body.slice(0, 300)}`;
  if (answer.status < 400) return null;
  let body: { type?: unknown; error?: Record<string, unknown> };
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    return `status ${answer.status} with a non-JSON body: ${answer.body.slice(0, 200)}`;
  }
  const error = body?.error;
  if (typeof error !== 'object' || error === null || typeof error.type !== 'string' || typeof error.message !== 'string') return `no error envelope: ${answer.body.slice(0, 200)}`;
  if (dialect === 'anthropic' && body.type !== 'error') return `not the Anthropic envelope: ${answer.body.slice(0, 200)}`;
  if (dialect === 'openai' && (!('param' in error) || !('code' in error))) return `not the OpenAI envelope: ${answer.body.slice(0, 200)}`;
  return null;
}

/** Paths the gateway itself builds for the native Responses upstream: a client's id may only fill an id-shaped slot. */
const NATIVE_PATH = /^\/v1\/responses(\/(input_tokens|compact|[A-Za-z0-9_-]{1,128}(\/cancel)?))?$/;

/** True when a raw upstream path holds a `.`/`..` segment, however encoded. */
function hasDotSegment(path: string): boolean {
  let decoded = path;
  try {
    for (let round = 0; round < 3; round++) decoded = decodeURIComponent(decoded);
  } catch {
    // Partly decoded is still worth checking.
  }
  return decoded
    .normalize('NFKC')
    .split(/[/\\]/)
    .some((segment) => segment === '.' || segment === '..');
}

async function send(gateway: TestGateway, entry: BadInputCase, fixtures: CorpusFixtures): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...AUTH, ...(entry.body === undefined ? {} : { 'content-type': 'application/json' }), ...entry.headers };
  return rawRequest(`${gateway.url}${fillFixtures(entry.path, fixtures)}`, entry.method, headers, entry.body);
}

async function json(answer: Promise<RawAnswer>): Promise<Record<string, unknown>> {
  const settled = await answer;
  if (settled.status !== 200) throw new Error(`fixture request failed with ${settled.status}: ${settled.body}`);
  return JSON.parse(settled.body) as Record<string, unknown>;
}

/**
 * The corpus as one suite: a gateway in front of a fake native Responses upstream (OpenAI type)
 * and a fake chat upstream (Groq type, also open for passthrough), every case sent raw, each a
 * test of its own. `env` picks the storage (SQLite by default, PostgreSQL via DATABASE_URL).
 */
export function describeBadInputCorpus(title: string, env: () => Promise<{ env: Record<string, string>; dispose?: () => Promise<void> }>): void {
  describe(title, () => {
    let native: FakeResponsesUpstream;
    let chat: FakeOpenAIUpstream;
    let gateway: TestGateway;
    let dispose: (() => Promise<void>) | undefined;
    const fixtures: { current?: CorpusFixtures } = {};

    beforeAll(async () => {
      native = await FakeResponsesUpstream.start(NATIVE_KEY);
      chat = await FakeOpenAIUpstream.start({ apiKey: CHAT_KEY, models: ['llama-3.3-70b'] });
      const storage = await env();
      dispose = storage.dispose;
      gateway = await startTestGateway({
        OPENAI_API_KEY: NATIVE_KEY,
        OPENAI_BASE_URL: native.baseUrl,
        OPENAI_MODELS: NATIVE_MODEL,
        GROQ_API_KEY: CHAT_KEY,
        GROQ_BASE_URL: `${chat.baseUrl}`,
        PASSTHROUGH_PROVIDERS: 'groq',
        BODY_SIZE_LIMIT: String(CORPUS_BODY_LIMIT),
        ...storage.env,
      });
      const post = (path: string, body: unknown) => json(rawRequest(`${gateway.url}${path}`, 'POST', { ...AUTH, 'content-type': 'application/json' }, JSON.stringify(body)));
      const response = await post('/v1/responses', { model: CHAT_MODEL, input: 'hello' });
      const conversation = await post('/v1/conversations', { items: [{ type: 'message', role: 'user', content: 'hello' }] });
      const items = await json(rawRequest(`${gateway.url}/v1/conversations/${String(conversation.id)}/items`, 'GET', AUTH));
      fixtures.current = { responseId: String(response.id), conversationId: String(conversation.id), itemId: String((items.data as Array<{ id: string }>)[0].id) };
    });

    afterAll(async () => {
      await gateway?.close();
      await native?.close();
      await chat?.close();
      await dispose?.();
    });

    it('serves the well-formed baseline of each route (so the bad cases reach real code)', async () => {
      const ok = [
        ['/v1/chat/completions', { model: CHAT_MODEL, messages: [{ role: 'user', content: 'hi' }] }],
        ['/v1/messages', { model: CHAT_MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }],
        ['/v1/responses', { model: NATIVE_MODEL, input: 'hi' }],
        ['/v1/responses/input_tokens', { model: CHAT_MODEL, input: 'hi' }],
        ['/p/groq/v1/chat/completions', { model: 'llama-3.3-70b', messages: [{ role: 'user', content: 'hi' }] }],
      ] as const;
      for (const [path, body] of ok)
        expect((await rawRequest(`${gateway.url}${path}`, 'POST', { ...AUTH, 'content-type': 'application/json' }, JSON.stringify(body))).status).toBe(200);
      const { conversationId, responseId } = fixtures.current!;
      expect((await rawRequest(`${gateway.url}/v1/conversations/${conversationId}/items`, 'GET', AUTH)).status).toBe(200);
      expect((await rawRequest(`${gateway.url}/v1/responses/${responseId}/input_items`, 'GET', AUTH)).status).toBe(200);
    });

    it.each(badInputCases().map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
      native.reset();
      chat.reset();
      const answer = await send(gateway, entry, fixtures.current!);
      expect(envelopeProblem(answer, entry.dialect)).toBeNull();
      if (entry.status !== undefined) expect(answer.status).toBe(entry.status);
      if (entry.param !== undefined) expect((JSON.parse(answer.body) as { error: { param: unknown } }).error.param).toBe(entry.param);
      // Nothing a client sent may climb out of a provider path, or land in one the gateway builds.
      expect(native.requests.map((request) => request.path).filter((path) => !NATIVE_PATH.test(path))).toEqual([]);
      expect(chat.requests.map((request) => request.url).filter(hasDotSegment)).toEqual([]);
    });
  });
}
