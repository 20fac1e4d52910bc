import type { AnthropicOk, FakeBlock, FakeUsage } from './anthropic-behaviour';

export const DEFAULT_ANTHROPIC_CONTENT = 'Hello! This is a reply from the fake Anthropic upstream.';
const DEFAULT_SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';

let sequence = 0;

/** A scripted answer made concrete for one request: blocks with ids, stop reason, usage. */
export interface PlannedMessage {
  id: string;
  model: string;
  blocks: Array<Record<string, any>>;
  stopReason: string;
  stopSequence: string | null;
  usage: Required<FakeUsage>;
}

function textChars(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textChars(item?.text ?? item?.content ?? ''), 0);
  return 0;
}

/** Deterministic stand-in for a tokenizer: tests can compute it from what the gateway sent. */
export function promptTokensOf(body: any): number {
  let chars = textChars(body?.system);
  for (const message of body?.messages ?? []) chars += textChars(message?.content);
  return Math.max(1, Math.ceil(chars / 4));
}

function blockChars(block: FakeBlock): number {
  if (block.type === 'text') return block.text.length;
  if (block.type === 'thinking') return block.thinking.length;
  if (block.type === 'tool_use') return block.name.length + JSON.stringify(block.input).length;
  return 0;
}

export function planMessage(body: any, ok: AnthropicOk): PlannedMessage {
  const suffix = (++sequence).toString(36).padStart(12, '0');
  const blocks: FakeBlock[] = typeof ok.content === 'string' ? [{ type: 'text', text: ok.content }] : (ok.content ?? [{ type: 'text', text: DEFAULT_ANTHROPIC_CONTENT }]);
  let tools = 0;
  const wire = blocks.map((block) => {
    if (block.type === 'tool_use') return { type: 'tool_use', id: block.id ?? `toolu_fake${suffix}${tools++}`, name: block.name, input: block.input };
    if (block.type === 'thinking') return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? DEFAULT_SIGNATURE };
    return { ...block };
  });
  const output = Math.max(1, Math.ceil(blocks.reduce((sum, block) => sum + blockChars(block), 0) / 4));
  return {
    id: ok.id ?? `msg_fake${suffix}`,
    model: String(body?.model ?? ''),
    blocks: wire,
    stopReason: ok.stopReason ?? (blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn'),
    stopSequence: ok.stopSequence ?? null,
    usage: { input_tokens: promptTokensOf(body), output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...ok.usage },
  };
}

/** The non-streaming `message` object. */
export function messageBody(plan: PlannedMessage): object {
  return {
    id: plan.id,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content: plan.blocks,
    stop_reason: plan.stopReason,
    stop_sequence: plan.stopSequence,
    usage: { ...plan.usage, service_tier: 'standard' },
  };
}

function sse(type: string, data: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function words(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

/** content_block_start, its deltas and content_block_stop, as Anthropic streams each block kind. */
function blockEvents(block: Record<string, any>, index: number): string[] {
  const delta = (value: object) => sse('content_block_delta', { index, delta: value });
  switch (block.type) {
    case 'text':
      return [sse('content_block_start', { index, content_block: { type: 'text', text: '' } }), ...words(block.text).map((text) => delta({ type: 'text_delta', text }))];
    case 'thinking':
      return [
        sse('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }),
        ...words(block.thinking).map((thinking) => delta({ type: 'thinking_delta', thinking })),
        delta({ type: 'signature_delta', signature: block.signature }),
      ];
    case 'tool_use':
      return [
        sse('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }),
        delta({ type: 'input_json_delta', partial_json: '' }),
        ...pieces(JSON.stringify(block.input), 10).map((partial_json) => delta({ type: 'input_json_delta', partial_json })),
      ];
    default:
      return [sse('content_block_start', { index, content_block: block })];
  }
}

/**
 * Every SSE event of a streamed answer, in the order of Anthropic's streaming reference:
 * message_start, a ping after the first block starts, each block's start / deltas / stop,
 * message_delta (stop reason, cumulative usage), message_stop.
 */
export function streamEvents(plan: PlannedMessage): string[] {
  const start = { ...messageBody(plan), content: [], stop_reason: null, stop_sequence: null, usage: { ...plan.usage, output_tokens: 1, service_tier: 'standard' } };
  const events = [sse('message_start', { message: start })];
  plan.blocks.forEach((block, index) => {
    const [head, ...rest] = blockEvents(block, index);
    events.push(head);
    if (index === 0) events.push(sse('ping', {}));
    events.push(...rest, sse('content_block_stop', { index }));
  });
  events.push(sse('message_delta', { delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence }, usage: plan.usage }));
  events.push(sse('message_stop', {}));
  return events;
}

export function errorEvent(errorType: string, message: string): string {
  return sse('error', { error: { type: errorType, message } });
}
