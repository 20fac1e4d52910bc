import { generateId } from '@app/core';
import { finishReason, openAIUsage } from './converse-response';

/** Thrown for a stream that breaks the ConverseStream event contract; the adapter maps it. */
export class ConverseStreamError extends Error {}

/**
 * Translates ConverseStream events, one at a time, to canonical `chat.completion.chunk` payloads.
 * Tool calls get OpenAI indexes in order of appearance (Converse numbers every content block), a
 * `messageStop` yields the finish_reason chunk, and `finish()` the usage-only chunk from `metadata`.
 */
export class ConverseStreamTranslator {
  private readonly id = generateId('chatcmpl-');
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly toolIndexByBlock = new Map<number, number>();
  private stopped = false;
  private usage: unknown;

  constructor(private readonly model: string) {}

  /** Chunks for one event (often one, sometimes none). */
  handle(eventType: string, payload: Record<string, any>): string[] {
    switch (eventType) {
      case 'messageStart':
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'contentBlockStart':
        return this.blockStart(payload);
      case 'contentBlockDelta':
        return this.blockDelta(payload);
      case 'messageStop':
        this.stopped = true;
        return [this.chunk({}, finishReason(payload.stopReason))];
      case 'metadata':
        this.usage = payload.usage;
        return [];
      default:
        // contentBlockStop, and event types newer than this code: nothing to tell the client.
        return [];
    }
  }

  /** The closing usage-only chunk; a stream that never reached messageStop is truncated. */
  finish(): string[] {
    if (!this.stopped) throw new ConverseStreamError('stream ended before messageStop');
    return [JSON.stringify({ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage: openAIUsage(this.usage) })];
  }

  private blockStart(payload: Record<string, any>): string[] {
    const toolUse = payload.start?.toolUse;
    if (!toolUse) return [];
    const index = this.toolIndexByBlock.size;
    this.toolIndexByBlock.set(Number(payload.contentBlockIndex), index);
    return [this.chunk({ tool_calls: [{ index, id: toolUse.toolUseId, type: 'function', function: { name: toolUse.name, arguments: '' } }] })];
  }

  private blockDelta(payload: Record<string, any>): string[] {
    const delta = payload.delta ?? {};
    if (typeof delta.text === 'string') return [this.chunk({ content: delta.text })];
    if (delta.toolUse) {
      const index = this.toolIndexByBlock.get(Number(payload.contentBlockIndex));
      if (index === undefined) throw new ConverseStreamError('toolUse delta without a toolUse block start');
      return [this.chunk({ tool_calls: [{ index, function: { arguments: String(delta.toolUse.input ?? '') } }] })];
    }
    // Reasoning text is relayed in the `reasoning_content` delta field most OpenAI-compatible
    // servers use; signatures and redacted reasoning are opaque and have no OpenAI form.
    if (typeof delta.reasoningContent?.text === 'string') return [this.chunk({ reasoning_content: delta.reasoningContent.text })];
    return [];
  }

  private chunk(delta: Record<string, unknown>, finish: string | null = null): string {
    return JSON.stringify({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
  }
}
