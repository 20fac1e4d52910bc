import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import { UsageRepository, UsageWriter } from '@app/storage';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { bodyOf, RecordingUpstream, replyJson, replySse } from './support/passthrough';

const AUTH = { authorization: `Bearer ${TEST_MASTER_KEY}` };

/** Rejects when `promise` takes longer than `ms`: a buffering gateway must fail these tests, not hang them. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts a request whose body the test writes piece by piece. */
function openUpload(url: string, headers: Record<string, string>): { req: ClientRequest; response: Promise<IncomingMessage> } {
  const req = request(url, { method: 'POST', headers });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  return { req, response };
}

/** Reads an SSE response event by event (blank-line separated), as a client would see them arrive. */
class EventReader {
  private buffer = '';
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(response: IncomingMessage) {
    this.iterator = response[Symbol.asyncIterator]();
  }

  async next(): Promise<string | undefined> {
    while (!this.buffer.includes('\n\n')) {
      const chunk = await this.iterator.next();
      if (chunk.done) return undefined;
      this.buffer += chunk.value.toString('utf8');
    }
    const end = this.buffer.indexOf('\n\n');
    const event = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end + 2);
    return event;
  }
}

function get(url: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, resolve);
    req.once('error', reject);
    req.end(body);
  });
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('/p/{provider}/… streams bodies both ways', () => {
  let upstream: RecordingUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await RecordingUpstream.start();
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'sk-upstream',
      OPENAI_BASE_URL: `${upstream.origin}/v1`,
      // Nothing listens on port 1: every call to this provider fails to connect.
      GROQ_API_KEY: 'gsk',
      GROQ_BASE_URL: 'http://127.0.0.1:1/v1',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  beforeEach(() => upstream.reset());

  async function usageRow(requestId: string) {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByRequestId(requestId);
  }

  it.each([
    ['a chunked upload', { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' }],
    ['a JSON upload over 1 MiB', { 'content-type': 'application/json', 'content-length': String(3 * 1024 * 1024) }],
  ])('forwards %s as it arrives: the provider sees the first bytes before the client sent the last', async (_name, headers) => {
    const first = Buffer.alloc(1024 * 1024, 'a');
    const last = Buffer.alloc(2 * 1024 * 1024, 'b');
    const upload = openUpload(`${gateway.url}/p/openai/v1/uploads`, { ...AUTH, ...headers });
    upload.req.write(first);
    await upstream.waitFor('the first bytes at the provider', () => (upstream.calls[0]?.firstByteAt ?? 0) > 0);
    expect(upstream.calls[0].complete).toBe(false);
    upload.req.end(last);
    const response = await within(5_000, 'the upload answer', upload.response);
    expect(response.statusCode).toBe(200);
    await readAll(response);
    expect(bodyOf(upstream.calls[0]).equals(Buffer.concat([first, last]))).toBe(true);
  });

  it('answers a streamed upload to an unreachable provider with a 502 the client can read', async () => {
    const upload = openUpload(`${gateway.url}/p/groq/v1/uploads`, { ...AUTH, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    upload.req.write(Buffer.alloc(64 * 1024, 'a'));
    const response = await within(5_000, 'the error answer', upload.response);
    upload.req.end(Buffer.alloc(4 * 1024 * 1024, 'b'));
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(await readAll(response)).error.message).toContain("'groq'");
  });

  it('answers an upload the provider drops mid-way with a 502 the client can read', async () => {
    upstream.enqueue(async (call, res) => {
      await upstream.waitFor('some upload bytes', () => call.chunks.length > 0);
      res.socket?.destroy();
    });
    const upload = openUpload(`${gateway.url}/p/openai/v1/uploads`, { ...AUTH, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    upload.req.write(Buffer.alloc(64 * 1024, 'a'));
    const response = await within(5_000, 'the error answer', upload.response);
    upload.req.end(Buffer.alloc(4 * 1024 * 1024, 'b'));
    expect(response.statusCode).toBe(502);
    expect(JSON.parse(await readAll(response)).error.type).toBe('upstream_error');
  });

  it('relays an SSE download event by event, as the provider sends them', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    upstream.enqueue(replySse(['{"n":1}', '{"n":2}', '[DONE]'], (index) => (index === 1 ? released : Promise.resolve())));
    const response = await get(`${gateway.url}/p/openai/v1/events`, AUTH);
    expect(response.headers['content-type']).toBe('text/event-stream');
    const reader = new EventReader(response);
    // The provider holds its second event until the client has the first: only a flushing relay gets here.
    expect(await within(3_000, 'the first event at the client', reader.next())).toBe('data: {"n":1}');
    release();
    expect(await reader.next()).toBe('data: {"n":2}');
    expect(await reader.next()).toBe('data: [DONE]');
    expect(await reader.next()).toBeUndefined();
  });

  it('aborts the upstream call when the client disconnects', async () => {
    upstream.enqueue(replySse(['{"n":1}', '{"n":2}'], () => new Promise(() => undefined)));
    const response = await get(`${gateway.url}/p/openai/v1/events`, { ...AUTH, 'x-request-id': 'pt-disconnect' });
    await within(3_000, 'the first event', new EventReader(response).next());
    response.destroy();
    await upstream.waitFor('the upstream request to be aborted', () => upstream.calls[0].aborted);
    expect(await usageRow('pt-disconnect')).toMatchObject({ provider: 'openai', errorType: 'client_closed' });
  });

  it('meters an OpenAI SSE stream while relaying its bytes untouched', async () => {
    const events = [
      '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}],"usage":null}',
      '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}',
      '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":21,"completion_tokens":9,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":5}}}',
      '[DONE]',
    ];
    upstream.enqueue(replySse(events));
    const body = JSON.stringify({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    const response = await get(`${gateway.url}/p/openai/v1/chat/completions`, { ...AUTH, 'content-type': 'application/json', 'x-request-id': 'pt-sse-usage' }, 'POST', body);
    expect(await readAll(response)).toBe(events.map((event) => `data: ${event}\n\n`).join(''));
    expect(bodyOf(upstream.calls[0]).toString()).toBe(body);
    expect(upstream.calls[0].headers['accept-encoding']).toBe('identity');
    expect(await usageRow('pt-sse-usage')).toMatchObject({
      endpoint: '/p/{provider}',
      provider: 'openai',
      model: 'gpt-4o',
      stream: true,
      inputTokens: 21,
      outputTokens: 9,
      cachedTokens: 4,
      reasoningTokens: 5,
    });
  });

  it('meters an Anthropic-shaped SSE stream (usage spread over message_start and message_delta)', async () => {
    upstream.enqueue(
      replySse([
        '{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":12,"cache_read_input_tokens":30,"cache_creation_input_tokens":0,"output_tokens":1}}}',
        '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}',
        '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}',
        '{"type":"message_stop"}',
      ]),
    );
    const body = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    const response = await get(`${gateway.url}/p/openai/v1/messages`, { ...AUTH, 'content-type': 'application/json', 'x-request-id': 'pt-sse-anthropic' }, 'POST', body);
    await readAll(response);
    expect(await usageRow('pt-sse-anthropic')).toMatchObject({ model: 'claude-sonnet-4-5', inputTokens: 42, outputTokens: 15, cachedTokens: 30 });
  });

  it('meters nothing but still records a JSON answer to a request without a model', async () => {
    upstream.enqueue(replyJson(200, { usage: { prompt_tokens: 99 } }));
    const response = await get(`${gateway.url}/p/openai/v1/anything`, { ...AUTH, 'x-request-id': 'pt-no-model' });
    await readAll(response);
    expect(await usageRow('pt-no-model')).toMatchObject({ provider: 'openai', model: null, inputTokens: 0 });
  });
});
