import type { ServerResponse } from 'node:http';
import { type HandledRequest, HandlerUpstream, sendJsonReply } from './support/handler-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

// Neither key has a generic credential shape (no `sk-`), so only the configured-secret redaction can catch them.
const OPENAI_KEY = 'echo-openai-provider-credential-7f3a91';
const ANTHROPIC_KEY = 'echo-anthropic-provider-credential-2c4e58';

/** What the upstream puts in its error message: the headers it received, and the bare key. */
function echoed(request: HandledRequest): string {
  const headers = request.headers;
  const bare = String(headers['x-api-key'] ?? headers.authorization ?? '').replace(/^Bearer /, '');
  return `Invalid request. Received headers: ${JSON.stringify(headers)} (key ${bare})`;
}

const isMessages = (path: string) => path.includes('/messages');

/** A 400 whose message echoes the request, in the dialect of the path, or as plain text. */
function statusEcho(format: 'envelope' | 'text') {
  return (request: HandledRequest, res: ServerResponse): void => {
    const message = echoed(request);
    if (format === 'text') return sendJsonReply(res, 400, message);
    if (isMessages(request.path)) return sendJsonReply(res, 400, { type: 'error', error: { type: 'invalid_request_error', message } });
    sendJsonReply(res, 400, { error: { message, type: 'invalid_request_error', param: 'model', code: 'echo' } });
  };
}

/** A 200 event stream whose only event is the dialect's error event, echoing the request. */
function streamEcho(request: HandledRequest, res: ServerResponse): void {
  const message = echoed(request);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  if (isMessages(request.path)) {
    res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message } })}\n\n`);
  } else if (request.path.endsWith('/responses')) {
    res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', code: 'echo', message, param: null, sequence_number: 0 })}\n\n`);
  } else {
    res.end(`data: ${JSON.stringify({ error: { message, type: 'invalid_request_error' } })}\n\n`);
  }
}

interface Variant {
  readonly name: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly stream: boolean;
}

const chat = (model: string, stream: boolean) => ({ model, stream, messages: [{ role: 'user', content: 'hi' }] });
const messages = (model: string, stream: boolean) => ({ model, stream, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
const responses = (model: string, stream: boolean) => ({ model, stream, input: 'hi' });

const VARIANTS: Variant[] = [
  // An OpenAI-compatible provider: chat and embeddings relayed, Messages translated, Responses native.
  { name: 'openai chat JSON', path: '/v1/chat/completions', body: chat('openai/gpt-4o-mini', false), stream: false },
  { name: 'openai chat stream', path: '/v1/chat/completions', body: chat('openai/gpt-4o-mini', true), stream: true },
  { name: 'openai embeddings', path: '/v1/embeddings', body: { model: 'openai/text-embedding-3-small', input: 'hi' }, stream: false },
  { name: 'openai translated messages JSON', path: '/v1/messages', body: messages('openai/gpt-4o-mini', false), stream: false },
  { name: 'openai translated messages stream', path: '/v1/messages', body: messages('openai/gpt-4o-mini', true), stream: true },
  { name: 'openai native responses JSON', path: '/v1/responses', body: responses('openai/gpt-4o-mini', false), stream: false },
  { name: 'openai native responses stream', path: '/v1/responses', body: responses('openai/gpt-4o-mini', true), stream: true },
  { name: 'openai native input_tokens', path: '/v1/responses/input_tokens', body: responses('openai/gpt-4o-mini', false), stream: false },
  { name: 'openai native compact', path: '/v1/responses/compact', body: responses('openai/gpt-4o-mini', false), stream: false },
  // An Anthropic provider: Messages native, chat and Responses translated.
  { name: 'anthropic translated chat JSON', path: '/v1/chat/completions', body: chat('anthropic/claude-echo', false), stream: false },
  { name: 'anthropic translated chat stream', path: '/v1/chat/completions', body: chat('anthropic/claude-echo', true), stream: true },
  { name: 'anthropic native messages JSON', path: '/v1/messages', body: messages('anthropic/claude-echo', false), stream: false },
  { name: 'anthropic native messages stream', path: '/v1/messages', body: messages('anthropic/claude-echo', true), stream: true },
  { name: 'anthropic translated responses JSON', path: '/v1/responses', body: responses('anthropic/claude-echo', false), stream: false },
  { name: 'anthropic translated responses stream', path: '/v1/responses', body: responses('anthropic/claude-echo', true), stream: true },
  { name: 'anthropic native count_tokens', path: '/v1/messages/count_tokens', body: messages('anthropic/claude-echo', false), stream: false },
];

describe('upstream errors that echo the provider key', () => {
  let upstream: HandlerUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await HandlerUpstream.start();
    gateway = await startTestGateway({
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: `${upstream.origin}/v1`,
      OPENAI_MODELS: 'gpt-4o-mini,text-embedding-3-small',
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: upstream.origin,
      ANTHROPIC_MODELS: 'claude-echo',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  async function send(variant: Variant): Promise<string> {
    upstream.requests.length = 0;
    const response = await fetch(`${gateway.url}${variant.path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(variant.body),
    });
    const text = `${JSON.stringify([...response.headers])}\n${await response.text()}`;
    // The request really reached the echoing upstream: the test would prove nothing otherwise.
    expect(upstream.requests.some((request) => request.method === 'POST')).toBe(true);
    return text;
  }

  function expectNoKey(text: string): void {
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain(ANTHROPIC_KEY);
  }

  it.each(VARIANTS.map((variant) => [variant.name, variant] as const))('%s: an error envelope echoing the key does not reach the client', async (_name, variant) => {
    upstream.handle = statusEcho('envelope');
    const text = await send(variant);
    expectNoKey(text);
    // The error is still reported, with what the upstream said around the key.
    expect(text).toContain('Invalid request');
  });

  it.each(VARIANTS.map((variant) => [variant.name, variant] as const))('%s: a plain-text error echoing the key does not reach the client', async (_name, variant) => {
    upstream.handle = statusEcho('text');
    expectNoKey(await send(variant));
  });

  it.each(VARIANTS.filter((variant) => variant.stream).map((variant) => [variant.name, variant] as const))(
    '%s: a mid-stream error event echoing the key does not reach the client',
    async (_name, variant) => {
      upstream.handle = streamEcho;
      const text = await send(variant);
      expectNoKey(text);
      expect(text).toContain('error');
    },
  );
});
