import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { cutAfter, type HandledRequest, HandlerUpstream } from './support/handler-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const sse = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

const MESSAGE_EVENTS =
  sse('message_start', {
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-cut',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 1 },
    },
  }) +
  sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
  sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } });

const RESPONSE_EVENTS =
  sse('response.created', {
    type: 'response.created',
    sequence_number: 0,
    response: { id: 'resp_cut', object: 'response', status: 'in_progress', model: 'gpt-4o-mini', output: [] },
  }) + sse('response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hel' });

const PARTIAL_JSON = '{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hel';

/** How the upstream breaks its answer: a reset mid-body, or a clean end before the last event. */
type Break = 'reset' | 'clean-end';

describe('native answers the upstream breaks off', () => {
  let upstream: HandlerUpstream;
  let gateway: TestGateway;
  let anthropic: Anthropic;
  let openai: OpenAI;
  let mode: Break = 'reset';

  beforeAll(async () => {
    upstream = await HandlerUpstream.start();
    upstream.handle = (request: HandledRequest, res) => {
      const stream = request.body?.stream === true;
      const isMessages = request.path.endsWith('/messages');
      if (!stream) return cutAfter(res, 'application/json', PARTIAL_JSON, 400);
      const events = isMessages ? MESSAGE_EVENTS : RESPONSE_EVENTS;
      if (mode === 'reset') return cutAfter(res, 'text/event-stream', events);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(events);
    };
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'sk-cut-upstream-key',
      OPENAI_BASE_URL: `${upstream.origin}/v1`,
      OPENAI_MODELS: 'gpt-4o-mini',
      ANTHROPIC_API_KEY: 'cut-anthropic-upstream-key',
      ANTHROPIC_BASE_URL: upstream.origin,
      ANTHROPIC_MODELS: 'claude-cut',
    });
    anthropic = new Anthropic({ apiKey: TEST_MASTER_KEY, baseURL: gateway.url, maxRetries: 0 });
    openai = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  beforeEach(() => {
    upstream.requests.length = 0;
    mode = 'reset';
  });

  async function drain(stream: AsyncIterable<unknown>): Promise<number> {
    let events = 0;
    for await (const _event of stream) events++;
    return events;
  }

  it('native /v1/messages JSON: the client read fails, it never gets a clean 200 with truncated JSON', async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'anthropic/claude-cut', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    });
    await expect(response.text()).rejects.toThrow();
    await expect(anthropic.messages.create({ model: 'anthropic/claude-cut', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })).rejects.toThrow();
  });

  it.each<Break>(['reset', 'clean-end'])('native /v1/messages stream (%s): the SDK raises the error event', async (breakMode) => {
    mode = breakMode;
    const stream = await anthropic.messages.create({ model: 'anthropic/claude-cut', max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const failure = await drain(stream).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as { error?: { error?: { type?: string } } }).error?.error?.type).toBe('api_error');
  });

  it.each<Break>(['reset', 'clean-end'])('native /v1/responses stream (%s): the SDK throws instead of ending quietly', async (breakMode) => {
    mode = breakMode;
    const stream = await openai.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi', stream: true });
    await expect(drain(stream)).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('native /v1/responses JSON: a reset mid-body is retried like any upstream reset, then reported as 502', async () => {
    const failure = await openai.responses.create({ model: 'openai/gpt-4o-mini', input: 'hi' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((failure as InstanceType<typeof OpenAI.APIError>).type).toBe('upstream_error');
    // The default UPSTREAM_MAX_RETRIES (2): three attempts before giving up.
    expect(upstream.requests.filter((request) => request.path === '/v1/responses')).toHaveLength(3);
  });
});
