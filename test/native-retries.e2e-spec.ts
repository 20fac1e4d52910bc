import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { type HandledRequest, HandlerUpstream, sendJsonReply } from './support/handler-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const COMPLETED = {
  id: 'resp_retried',
  object: 'response',
  created_at: 1_700_000_000,
  status: 'completed',
  model: 'gpt-4o-mini',
  output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }],
  usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 },
};

const openAIError = (status: number) => ({ error: { message: `upstream says ${status}`, type: status === 429 ? 'rate_limit_error' : 'server_error', param: null, code: null } });
const anthropicError = (status: number) => ({ type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message: `upstream says ${status}` } });

/** Answers the scripted failures first, then succeeds (a completed response, JSON or SSE). */
function scripted(failures: Array<{ status: number; retryAfter?: string }>) {
  return (request: HandledRequest, res: ServerResponse): void => {
    const failure = failures.shift();
    if (failure) {
      const body = request.path.endsWith('/messages') ? anthropicError(failure.status) : openAIError(failure.status);
      return sendJsonReply(res, failure.status, body, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }
    if (request.body?.stream !== true) return sendJsonReply(res, 200, COMPLETED);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', sequence_number: 0, response: COMPLETED })}\n\n`);
  };
}

async function startPair(env: Record<string, string> = {}): Promise<{ upstream: HandlerUpstream; gateway: TestGateway; client: OpenAI }> {
  const upstream = await HandlerUpstream.start();
  const gateway = await startTestGateway({
    OPENAI_API_KEY: 'sk-retry-upstream-key',
    OPENAI_BASE_URL: `${upstream.origin}/v1`,
    OPENAI_MODELS: 'gpt-4o-mini',
    ANTHROPIC_API_KEY: 'retry-anthropic-upstream-key',
    ANTHROPIC_BASE_URL: upstream.origin,
    ANTHROPIC_MODELS: 'claude-retry',
    ...env,
  });
  return { upstream, gateway, client: new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 }) };
}

describe('native /v1/responses retries like chat', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;

  beforeAll(async () => {
    pair = await startPair();
  });

  afterAll(async () => {
    await pair?.gateway.close();
    await pair?.upstream.close();
  });

  beforeEach(() => {
    pair.upstream.requests.length = 0;
  });

  it.each([429, 503])('a %i is retried before the client hears of it (JSON)', async (status) => {
    pair.upstream.handle = scripted([{ status }]);
    const response = await pair.client.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi' });
    expect(response.output_text).toBe('ok');
    expect(pair.upstream.requests).toHaveLength(2);
  });

  it('a 503 is retried before the first byte of a stream', async () => {
    pair.upstream.handle = scripted([{ status: 503 }]);
    const stream = await pair.client.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['response.completed']);
    expect(pair.upstream.requests).toHaveLength(2);
  });

  async function post(path: string, body: unknown): Promise<Response> {
    return fetch(`${pair.gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    });
  }

  // Retry-After beyond UPSTREAM_RETRY_MAX_DELAY: the gateway does not wait, the client must.
  it.each([
    ['native /v1/responses', '/v1/responses', { model: 'openai/gpt-4o-mini', input: 'hi' }],
    ['/v1/chat/completions', '/v1/chat/completions', { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }],
    ['native /v1/messages', '/v1/messages', { model: 'anthropic/claude-retry', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }],
    ['translated /v1/messages', '/v1/messages', { model: 'openai/gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }],
  ])('%s: the final 429 carries the upstream Retry-After', async (_name, path, body) => {
    pair.upstream.handle = scripted([{ status: 429, retryAfter: '7' }]);
    const response = await post(path, body);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('retry-after-ms')).toBe('7000');
    expect(pair.upstream.requests).toHaveLength(1);
  });

  it.each([
    ['native /v1/responses', '/v1/responses', { model: 'openai/gpt-4o-mini', input: 'hi' }, 502],
    ['native /v1/messages', '/v1/messages', { model: 'anthropic/claude-retry', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }, 529],
  ])('%s: the final 503 carries the upstream Retry-After too', async (_name, path, body, clientStatus) => {
    pair.upstream.handle = scripted([{ status: 503, retryAfter: '7' }]);
    const response = await post(path, body);
    expect(response.status).toBe(clientStatus);
    expect(response.headers.get('retry-after')).toBe('7');
  });
});

describe('native /v1/responses upstream 5xx and the circuit breaker', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;

  beforeAll(async () => {
    pair = await startPair({ UPSTREAM_MAX_RETRIES: '0', CIRCUIT_BREAKER_THRESHOLD: '2', CIRCUIT_BREAKER_COOLDOWN: '10m' });
  });

  afterAll(async () => {
    await pair?.gateway.close();
    await pair?.upstream.close();
  });

  it('counts 5xx toward the breaker, which then fails fast without calling the upstream', async () => {
    pair.upstream.handle = scripted([{ status: 500 }, { status: 500 }]);
    for (let i = 0; i < 2; i++) {
      await expect(pair.client.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi' })).rejects.toMatchObject({ status: 502 });
    }
    await expect(pair.client.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi' })).rejects.toMatchObject({ status: 503, code: 'provider_unavailable' });
    expect(pair.upstream.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
  });
});
