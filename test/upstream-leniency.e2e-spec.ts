import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { cutAfter, type HandledRequest, HandlerUpstream, sendJsonReply } from './support/handler-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import {
  ANTHROPIC_BEFORE_RESET,
  ANTHROPIC_COMPLETE,
  ANTHROPIC_EOF_WITHOUT_STOP,
  type Expected,
  GEMINI_COMPLETE,
  GEMINI_EOF_WITHOUT_FINISH,
  OPENAI_BEFORE_RESET,
  OPENAI_COMPLETE,
  OPENAI_EOF_WITHOUT_FINISH,
  RESPONSES_COMPLETE,
} from './support/real-world-sse';

/** What the upstream does with the next streaming request: send these bytes and end, or reset after them. */
interface Script {
  readonly body: string;
  readonly reset?: boolean;
}

/**
 * The official SDKs through the gateway, against an upstream that sends the raw bytes real servers
 * send (see real-world-sse.ts). Every complete stream must reach the client whole, with its finish
 * reason and usage, and be metered; every truncated one must end in an error the SDK raises.
 */
describe('upstream streams as real servers send them', () => {
  let upstream: HandlerUpstream;
  let gateway: TestGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let script: Script = { body: '' };
  let requestCount = 0;

  beforeAll(async () => {
    upstream = await HandlerUpstream.start();
    upstream.handle = (request: HandledRequest, res) => {
      // Model listings and anything else that is not a streamed answer: the gateway uses the *_MODELS lists.
      const streaming = request.body?.stream === true || request.path.endsWith(':streamGenerateContent');
      if (!streaming) return sendJsonReply(res, 404, { error: { message: 'not here' } });
      if (script.reset) return cutAfter(res, 'text/event-stream', script.body);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Two writes, so the last event's missing blank line is not an artefact of one big chunk.
      const half = Math.floor(script.body.length / 2);
      res.write(script.body.slice(0, half));
      res.end(script.body.slice(half));
    };
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'sk-rw-openai',
      OPENAI_BASE_URL: `${upstream.origin}/v1`,
      OPENAI_MODELS: 'gpt-4o-mini',
      ANTHROPIC_API_KEY: 'rw-anthropic-key',
      ANTHROPIC_BASE_URL: upstream.origin,
      ANTHROPIC_MODELS: 'claude-rw',
      GEMINI_API_KEY: 'AIza-rw-gemini',
      GEMINI_BASE_URL: upstream.origin,
      GEMINI_MODELS: 'gemini-rw',
      UPSTREAM_MAX_RETRIES: '0',
    });
    openai = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: TEST_MASTER_KEY, baseURL: gateway.url, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const nextRequestId = () => `req-rw-${++requestCount}`;

  async function expectMetered(requestId: string, expected: Expected): Promise<void> {
    await gateway.app.get(UsageWriter).flush();
    const row = await gateway.app.get(UsageRepository).findByRequestId(requestId);
    expect(row).toMatchObject({ status: 200, stream: true, inputTokens: expected.inputTokens, outputTokens: expected.outputTokens });
  }

  async function chatStream(model: string, includeUsage: boolean) {
    const requestId = nextRequestId();
    const stream = await openai.chat.completions.create(
      { model, messages: [{ role: 'user', content: 'Hi' }], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) },
      { headers: { 'X-Request-ID': requestId } },
    );
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    return { requestId, chunks };
  }

  async function expectChatStream(model: string, expected: Expected): Promise<void> {
    const { requestId, chunks } = await chatStream(model, true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(expected.content);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual([expected.finishReason]);
    expect(chunks.find((chunk) => chunk.usage)?.usage).toMatchObject({ prompt_tokens: expected.inputTokens, completion_tokens: expected.outputTokens });
    await expectMetered(requestId, expected);
  }

  async function expectChatStreamFails(model: string): Promise<void> {
    await expect(chatStream(model, false)).rejects.toBeInstanceOf(OpenAI.APIError);
  }

  async function expectMessagesStream(model: string, expected: Expected): Promise<void> {
    const requestId = nextRequestId();
    const stream = anthropic.messages.stream({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }, { headers: { 'X-Request-ID': requestId } });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const message = await stream.finalMessage();
    expect(types.at(-1)).toBe('message_stop');
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: expected.content })]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ output_tokens: expected.outputTokens });
    await expectMetered(requestId, expected);
  }

  async function expectResponsesStream(model: string, expected: Expected): Promise<void> {
    const requestId = nextRequestId();
    const stream = openai.responses.stream({ model, input: 'Hi' }, { headers: { 'X-Request-ID': requestId } });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const response = await stream.finalResponse();
    expect(types.at(-1)).toBe('response.completed');
    expect(response.output_text).toBe(expected.content);
    expect(response.usage).toMatchObject({ input_tokens: expected.inputTokens, output_tokens: expected.outputTokens });
    await expectMetered(requestId, expected);
  }

  describe.each(OPENAI_COMPLETE)('an OpenAI-compatible stream that $name', ({ body, expected }) => {
    beforeEach(() => (script = { body }));

    it('reaches /v1/chat/completions whole, ends with [DONE] for the SDK, and is metered', () => expectChatStream('openai/gpt-4o-mini', expected));

    it('has its usage-only chunk hidden from a client that did not ask for usage, and is still metered', async () => {
      const { requestId, chunks } = await chatStream('openai/gpt-4o-mini', false);
      expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(expected.content);
      expect(chunks.every((chunk) => chunk.choices.length > 0)).toBe(true);
      await expectMetered(requestId, expected);
    });

    it('reaches /v1/messages (translated) as a whole Anthropic message', () => expectMessagesStream('openai/gpt-4o-mini', expected));
  });

  describe.each(ANTHROPIC_COMPLETE)('an Anthropic stream that $name', ({ body, expected }) => {
    beforeEach(() => (script = { body }));

    it('reaches native /v1/messages with its last event intact', () => expectMessagesStream('anthropic/claude-rw', expected));
    it('reaches /v1/chat/completions (translated) whole', () => expectChatStream('anthropic/claude-rw', expected));
    it('reaches /v1/responses (translated) whole', () => expectResponsesStream('anthropic/claude-rw', expected));
  });

  describe.each(RESPONSES_COMPLETE)('a Responses stream that $name', ({ body, expected }) => {
    beforeEach(() => (script = { body }));

    it('reaches native /v1/responses with its terminal event intact, and is metered', () => expectResponsesStream('openai/gpt-4o-mini', expected));
  });

  it(`a Gemini stream with ${GEMINI_COMPLETE.name} reaches /v1/chat/completions whole`, async () => {
    script = { body: GEMINI_COMPLETE.body };
    await expectChatStream('gemini/gemini-rw', GEMINI_COMPLETE.expected);
  });

  describe('truncated streams still end in an error the SDK raises', () => {
    it.each<[string, string, Script]>([
      ['OpenAI-compatible, clean end before any finish_reason', 'openai/gpt-4o-mini', { body: OPENAI_EOF_WITHOUT_FINISH }],
      ['OpenAI-compatible, reset mid-stream', 'openai/gpt-4o-mini', { body: OPENAI_BEFORE_RESET, reset: true }],
      ['Anthropic, clean end before message_stop', 'anthropic/claude-rw', { body: ANTHROPIC_EOF_WITHOUT_STOP }],
      ['Anthropic, reset mid-stream', 'anthropic/claude-rw', { body: ANTHROPIC_BEFORE_RESET, reset: true }],
      ['Gemini, clean end before any finishReason', 'gemini/gemini-rw', { body: GEMINI_EOF_WITHOUT_FINISH }],
    ])('/v1/chat/completions: %s', async (_name, model, broken) => {
      script = broken;
      await expectChatStreamFails(model);
    });

    it.each<[string, Script]>([
      ['clean end before any finish_reason', { body: OPENAI_EOF_WITHOUT_FINISH }],
      ['reset mid-stream', { body: OPENAI_BEFORE_RESET, reset: true }],
    ])('/v1/messages translated from an OpenAI-compatible stream: %s', async (_name, broken) => {
      script = broken;
      const stream = anthropic.messages.stream({ model: 'openai/gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
      await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIError);
    });

    it('/v1/responses translated from an Anthropic stream: clean end before message_stop ends as response.failed', async () => {
      script = { body: ANTHROPIC_EOF_WITHOUT_STOP };
      const stream = openai.responses.stream({ model: 'anthropic/claude-rw', input: 'Hi' });
      const types: string[] = [];
      for await (const event of stream) types.push(event.type);
      // The Responses dialect reports a failed run as its terminal event (as OpenAI does), not as a transport error.
      expect(types.at(-1)).toBe('response.failed');
      expect(await stream.finalResponse()).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('before it was complete') } });
    });
  });
});
