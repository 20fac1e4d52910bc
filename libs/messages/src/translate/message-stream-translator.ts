import { type TokenUsage, usageFromOpenAI } from '@app/core';
import { anthropicUsageFromCanonical } from './messages-usage';
import { reasoningText, type StopInfo, toStopInfo } from './stop-reason';

type BlockKind = 'text' | 'thinking' | 'tool';

interface OpenBlock {
  readonly kind: BlockKind;
  readonly index: number;
}

/** One SSE event in Anthropic's framing: the event name repeats the payload's `type`. */
export function sseEvent(type: string, payload: string): string {
  return `event: ${type}\ndata: ${payload}\n\n`;
}

/**
 * Turns canonical `chat.completion.chunk` payloads into Anthropic's stream events, one chunk at a
 * time: message_start (+ ping) up front; content_block_start / _delta / _stop for thinking, text
 * and tool_use blocks, numbered 0, 1, … as they open (a new kind of content closes the open
 * block); then, once the upstream stream has ended, message_delta with the stop reason and the
 * whole usage (the usage-only chunk comes last, so usage cannot be known any earlier) and
 * message_stop. Each call returns the text to write, possibly empty.
 */
export class MessageStreamTranslator {
  private open?: OpenBlock;
  private nextIndex = 0;
  /** Tool call index (chat) → block index (Anthropic). */
  private readonly toolBlocks = new Map<number, number>();
  private finishReason: unknown;
  private matchedStop: unknown;
  private canonicalUsage: unknown;

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly stopSequences: readonly string[],
  ) {}

  /** The usage the upstream reported, once its usage chunk has passed. */
  get usage(): TokenUsage | undefined {
    return usageFromOpenAI(this.canonicalUsage);
  }

  /**
   * `inputTokens` is the local estimate (as count_tokens makes it): the upstream's figure comes only
   * at the end, but Anthropic puts input usage in message_start and clients (LangChain's
   * ChatAnthropic) read it only there. message_delta carries the upstream's exact figures.
   */
  start(inputTokens = 0): string {
    const message = {
      id: this.id,
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
    };
    return sseEvent('message_start', JSON.stringify({ type: 'message_start', message })) + sseEvent('ping', '{"type":"ping"}');
  }

  push(data: string): string {
    const chunk = JSON.parse(data) as Record<string, any>;
    if (chunk.usage && typeof chunk.usage === 'object') this.canonicalUsage = chunk.usage;
    const choice = chunk.choices?.[0] as Record<string, any> | undefined;
    if (!choice) return '';
    let out = '';
    const delta = (choice.delta ?? {}) as Record<string, any>;
    const reasoning = reasoningText(delta);
    if (reasoning !== '') out += this.textDelta('thinking', { type: 'thinking_delta', thinking: reasoning });
    if (typeof delta.content === 'string' && delta.content !== '') out += this.textDelta('text', { type: 'text_delta', text: delta.content });
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) out += this.toolDelta(call ?? {});
    if (choice.finish_reason !== undefined && choice.finish_reason !== null) this.finishReason = choice.finish_reason;
    if (choice.stop_reason !== undefined && choice.stop_reason !== null) this.matchedStop = choice.stop_reason;
    return out;
  }

  /** The closing events, once the upstream stream has ended cleanly. */
  finish(): string {
    const stop: StopInfo = toStopInfo(this.finishReason, this.matchedStop, this.stopSequences);
    const payload = { type: 'message_delta', delta: stop, usage: anthropicUsageFromCanonical(this.canonicalUsage) };
    return this.close() + sseEvent('message_delta', JSON.stringify(payload)) + sseEvent('message_stop', '{"type":"message_stop"}');
  }

  private textDelta(kind: 'text' | 'thinking', delta: Record<string, string>): string {
    let out = '';
    if (this.open?.kind !== kind) {
      out += this.close();
      const block = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
      out += this.openBlock({ kind, index: this.nextIndex++ }, block);
    }
    return out + this.blockDelta(this.open!.index, delta);
  }

  private toolDelta(call: Record<string, any>): string {
    const toolIndex = typeof call.index === 'number' ? call.index : 0;
    let out = '';
    let index = this.toolBlocks.get(toolIndex);
    if (index === undefined) {
      index = this.nextIndex++;
      this.toolBlocks.set(toolIndex, index);
      out += this.close();
      out += this.openBlock({ kind: 'tool', index }, { type: 'tool_use', id: String(call.id ?? ''), name: String(call.function?.name ?? ''), input: {} });
    }
    const args = call.function?.arguments;
    if (typeof args === 'string' && args !== '') out += this.blockDelta(index, { type: 'input_json_delta', partial_json: args });
    return out;
  }

  private openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): string {
    this.open = block;
    return sseEvent('content_block_start', JSON.stringify({ type: 'content_block_start', index: block.index, content_block: contentBlock }));
  }

  private blockDelta(index: number, delta: Record<string, string>): string {
    return sseEvent('content_block_delta', JSON.stringify({ type: 'content_block_delta', index, delta }));
  }

  private close(): string {
    if (!this.open) return '';
    const index = this.open.index;
    this.open = undefined;
    return sseEvent('content_block_stop', `{"type":"content_block_stop","index":${index}}`);
  }
}
