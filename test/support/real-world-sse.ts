import { Readable } from 'node:stream';
import { errors } from 'undici';

/**
 * Upstream SSE bodies written the way real servers send them, not the way the specs draw them:
 * no blank line after the last event (recorded OpenAI and Anthropic streams end so), no `[DONE]`
 * (many OpenAI-compatible servers), CRLF line endings and `data:` without the space (servers on
 * other HTTP stacks), comment keep-alives between events (OpenRouter's `: OPENROUTER PROCESSING`),
 * usage on the last content chunk instead of a usage-only chunk (llama.cpp-style servers), Python
 * `json.dumps` spacing, and fields no spec lists. Each fixture says what a client must end up with.
 */

/** What the client must see and the gateway must meter, whatever the framing. */
export interface Expected {
  readonly content: string;
  /** In the OpenAI dialect (the Anthropic or Gemini reason as the gateway maps it). */
  readonly finishReason: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export interface RealWorldStream {
  readonly name: string;
  readonly body: string;
  readonly expected: Expected;
}

const json = (value: unknown) => JSON.stringify(value);
/** Python's json.dumps defaults: `", "` and `": "` separators. */
const pythonJson = (value: unknown) => JSON.stringify(value).replace(/","/g, '", "').replace(/":/g, '": ').replace(/,"/g, ', "');

const HELLO: Expected = { content: 'Hello, world!', finishReason: 'stop', inputTokens: 11, outputTokens: 4 };

// --- OpenAI Chat Completions ---

function chatChunk(delta: object, finish: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'chatcmpl-rw1',
    object: 'chat.completion.chunk',
    created: 1_760_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_rw',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
    obfuscation: 'x1y2',
    ...extra,
  };
}

const CHAT_USAGE = {
  prompt_tokens: 11,
  completion_tokens: 4,
  total_tokens: 15,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 },
};
const chatUsageOnly = () => ({ ...chatChunk({}, null), choices: [], usage: CHAT_USAGE });
const chatContent = () => [chatChunk({ role: 'assistant', content: '', refusal: null }, null), chatChunk({ content: 'Hello' }, null), chatChunk({ content: ', world!' }, null)];

const lines = (chunks: unknown[], serialize = json, frame = (data: string) => `data: ${data}\n\n`) => chunks.map((chunk) => frame(serialize(chunk))).join('');

/** Complete OpenAI-dialect streams the gateway must accept. */
export const OPENAI_COMPLETE: readonly RealWorldStream[] = [
  {
    name: 'ends with `data: [DONE]` and no blank line after it',
    body: `${lines([...chatContent(), chatChunk({}, 'stop'), chatUsageOnly()])}data: [DONE]`,
    expected: HELLO,
  },
  {
    name: 'ends cleanly after the finish and usage chunks, without [DONE]',
    body: lines([...chatContent(), chatChunk({}, 'stop'), chatUsageOnly()]),
    expected: HELLO,
  },
  {
    name: 'carries usage on the last content chunk (choices not empty), no [DONE], no final blank line',
    body: `${lines(chatContent())}data: ${json(chatChunk({}, 'stop', { usage: CHAT_USAGE, timings: { predicted_ms: 12.5 } }))}\n`,
    expected: HELLO,
  },
  {
    name: 'uses CRLF and `data:` without the space',
    body: `${lines([...chatContent(), chatChunk({}, 'stop'), chatUsageOnly()], json, (data) => `data:${data}\r\n\r\n`)}data:[DONE]\r\n\r\n`,
    expected: HELLO,
  },
  {
    name: 'has comment keep-alives between events, json.dumps spacing and OpenRouter-style extra fields',
    body:
      ': OPENROUTER PROCESSING\n\n' +
      lines(
        chatContent().map((chunk) => ({ ...chunk, provider: 'Fireworks' })),
        pythonJson,
      ) +
      ': keep-alive\n\n' +
      lines([chatChunk({}, 'stop', { provider: 'Fireworks', native_finish_reason: 'stop' })], pythonJson) +
      ': OPENROUTER PROCESSING\n\n' +
      lines([{ ...chatUsageOnly(), provider: 'Fireworks', usage: { ...CHAT_USAGE, cost: 0.00012, is_byok: false, cost_details: { upstream_inference_cost: null } } }], pythonJson) +
      'data: [DONE]\n\n',
    expected: HELLO,
  },
];

/** Content chunks, then the connection is closed cleanly: no finish_reason, no [DONE]. */
export const OPENAI_EOF_WITHOUT_FINISH = lines(chatContent());
/** Bytes written before a reset: content chunks and half of the next one. */
export const OPENAI_BEFORE_RESET = `${lines(chatContent())}data: {"id":"chatcmpl-rw1","object":"chat.co`;

// --- Anthropic Messages ---

const anthropicEvent = (type: string, data: Record<string, unknown>, frame = (name: string, payload: string) => `event: ${name}\ndata: ${payload}\n\n`) =>
  frame(type, json({ type, ...data }));

function anthropicEvents(frame?: (name: string, payload: string) => string): string[] {
  const message = {
    id: 'msg_rw1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: {
      input_tokens: 11,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: 1,
      service_tier: 'standard',
    },
  };
  return [
    anthropicEvent('message_start', { message }, frame),
    anthropicEvent('ping', {}, frame),
    anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }, frame),
    anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }, frame),
    anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ', world!' } }, frame),
    anthropicEvent('content_block_stop', { index: 0 }, frame),
    anthropicEvent(
      'message_delta',
      {
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { input_tokens: 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 4, server_tool_use: { web_search_requests: 0 } },
        context_management: null,
      },
      frame,
    ),
    anthropicEvent('message_stop', {}, frame),
  ];
}

/** Complete Anthropic streams the gateway must accept. */
export const ANTHROPIC_COMPLETE: readonly RealWorldStream[] = [
  {
    name: 'ends with message_stop and no blank line after it',
    body: anthropicEvents().join('').replace(/\n\n$/, ''),
    expected: HELLO,
  },
  {
    name: 'uses CRLF, `data:` without the space, comment lines and an event type newer than the gateway',
    body:
      ': keep-alive\r\n\r\n' +
      anthropicEvents((name, payload) => `event:${name}\r\ndata:${payload}\r\n\r\n`)
        .map((event, index) => (index === 5 ? `${event}event:content_block_annotation\r\ndata:{"type":"content_block_annotation","index":0}\r\n\r\n` : event))
        .join('')
        .replace(/\r\n\r\n$/, '\r\n'),
    expected: HELLO,
  },
];

/** Through the second text delta, then a clean close: no message_stop. */
export const ANTHROPIC_EOF_WITHOUT_STOP = anthropicEvents().slice(0, 5).join('');
export const ANTHROPIC_BEFORE_RESET = `${anthropicEvents().slice(0, 5).join('')}event: content_block_stop\ndata: {"type":"cont`;

// --- Gemini streamGenerateContent?alt=sse ---

function geminiEvent(text: string, finish: string | undefined, candidatesTokens: number | undefined): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts: [{ text }], role: 'model' }, index: 0 };
  if (finish) Object.assign(candidate, { finishReason: finish, avgLogprobs: -0.12 });
  const usageMetadata: Record<string, unknown> = {
    promptTokenCount: 11,
    totalTokenCount: 11 + (candidatesTokens ?? 0),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 11 }],
  };
  if (candidatesTokens !== undefined) usageMetadata.candidatesTokenCount = candidatesTokens;
  return { candidates: [candidate], usageMetadata, modelVersion: 'gemini-2.5-flash', responseId: 'rw-gemini-1' };
}

const geminiFrame = (event: unknown) => `data: ${json(event)}\r\n\r\n`;

/** Gemini frames with CRLF and has no sentinel; this one also drops the last blank line. */
export const GEMINI_COMPLETE: RealWorldStream = {
  name: 'CRLF, no sentinel, last event (finishReason and usage) without its blank line',
  body: `${geminiFrame(geminiEvent('Hello', undefined, undefined))}${geminiFrame(geminiEvent(', world!', 'STOP', 4)).replace(/\r\n\r\n$/, '\r\n')}`,
  expected: HELLO,
};
export const GEMINI_EOF_WITHOUT_FINISH = geminiFrame(geminiEvent('Hello', undefined, undefined));

// --- OpenAI Responses (native relay) ---

const RESPONSE_USAGE = { input_tokens: 11, input_tokens_details: { cached_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 };

function responseObject(status: string, text?: string): Record<string, unknown> {
  const output =
    text === undefined ? [] : [{ id: 'msg_rw1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], logprobs: [], text }] }];
  return {
    id: 'resp_rw1',
    object: 'response',
    created_at: 1_760_000_000,
    status,
    model: 'gpt-4o-mini-2024-07-18',
    output,
    usage: status === 'completed' ? RESPONSE_USAGE : null,
    store: true,
    background: false,
    metadata: {},
  };
}

function responseEvents(sortKeys: boolean): string[] {
  const where = { item_id: 'msg_rw1', output_index: 0, content_index: 0 };
  const part = (text: string) => ({ type: 'output_text', annotations: [], logprobs: [], text });
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: responseObject('in_progress') },
    { type: 'response.in_progress', response: responseObject('in_progress') },
    { type: 'response.output_item.added', output_index: 0, item: { id: 'msg_rw1', type: 'message', status: 'in_progress', content: [], role: 'assistant' } },
    { type: 'response.content_part.added', ...where, part: part('') },
    { type: 'response.output_text.delta', ...where, delta: 'Hello', logprobs: [], obfuscation: 'ab' },
    { type: 'response.output_text.delta', ...where, delta: ', world!', logprobs: [], obfuscation: 'cd' },
    { type: 'response.output_text.done', ...where, text: 'Hello, world!', logprobs: [] },
    { type: 'response.content_part.done', ...where, part: part('Hello, world!') },
    { type: 'response.output_item.done', output_index: 0, item: (responseObject('completed', 'Hello, world!').output as unknown[])[0] },
    { type: 'response.completed', response: responseObject('completed', 'Hello, world!') },
  ];
  return events.map((event, index) => {
    const withSequence = { ...event, sequence_number: index };
    // Python servers built on pydantic models of the openai package (vLLM) write fields in
    // declaration order, which is alphabetical there: `type` comes last, after the whole response.
    const ordered = sortKeys ? Object.fromEntries(Object.entries(withSequence).sort(([a], [b]) => a.localeCompare(b))) : withSequence;
    return `event: ${event.type as string}\ndata: ${json(ordered)}\n\n`;
  });
}

/** Complete Responses streams the gateway must accept. */
export const RESPONSES_COMPLETE: readonly RealWorldStream[] = [
  { name: 'ends with response.completed and no blank line after it', body: responseEvents(false).join('').replace(/\n\n$/, ''), expected: HELLO },
  { name: 'writes `type` last in every payload (pydantic field order), CRLF', body: responseEvents(true).join('').replace(/\n/g, '\r\n'), expected: HELLO },
];

/**
 * An upstream body as undici hands it over: `text` cut into chunks of `chunkBytes` (cuts land inside
 * lines, CRLF pairs and UTF-8 characters alike), then a clean end or, with `reset`, a socket error.
 */
export function upstreamBody(text: string | Uint8Array, options: { chunkBytes?: number; reset?: boolean } = {}): Readable {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  const size = options.chunkBytes ?? bytes.length;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
  return new Readable({
    read() {
      const next = chunks.shift();
      if (next) return void this.push(next);
      if (options.reset) this.destroy(new errors.SocketError('other side closed'));
      else this.push(null);
    },
  });
}
