import { type GatewayError, generateId, type TokenUsage, usageFromOpenAI } from '@app/core';
import { outputItems, outputText, statusFromFinish } from './chat-to-response';
import { outputItemId } from './item-ids';
import { type ResponseOutcome, settleResponse } from './response-object';
import { isObject, type JsonObject, type ResponseItem } from './response-types';

/** One Responses streaming event; `sequence_number` is added by the translator. */
export type ResponseEvent = JsonObject & { type: string };

type ItemStatus = 'completed' | 'incomplete';

interface OpenItem {
  readonly index: number;
  readonly id: string;
  readonly kind: 'reasoning' | 'message' | 'function_call';
  text: string;
  callId?: string;
  name?: string;
}

/**
 * Translates a canonical chat.completion.chunk stream into the Responses event sequence, event by
 * event: `response.created`, `response.in_progress`, then per output item `output_item.added`,
 * its part/delta/done events and `output_item.done`, and finally `response.completed` (or
 * `response.incomplete` when the model ran out of tokens, `response.failed` on an error).
 */
export class ResponseStreamTranslator {
  private sequence = 0;
  private readonly items: OpenItem[] = [];
  private readonly output: ResponseItem[] = [];
  private readonly toolItems = new Map<number, OpenItem>();
  private open?: OpenItem;
  private finishReason: unknown;
  private usageSeen?: TokenUsage;
  private final?: JsonObject;

  constructor(private readonly shell: JsonObject) {}

  start(): ResponseEvent[] {
    const inProgress = { ...this.shell, status: 'in_progress' };
    return [this.event({ type: 'response.created', response: inProgress }), this.event({ type: 'response.in_progress', response: inProgress })];
  }

  /** Events for one chunk (its JSON text). */
  push(data: string): ResponseEvent[] {
    const chunk = JSON.parse(data) as JsonObject;
    const usage = usageFromOpenAI(chunk.usage);
    if (usage) this.usageSeen = usage;
    const choice = Array.isArray(chunk.choices) && isObject(chunk.choices[0]) ? chunk.choices[0] : undefined;
    if (!choice) return [];
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    const delta = isObject(choice.delta) ? choice.delta : {};
    const events: ResponseEvent[] = [];
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') events.push(...this.text('reasoning', delta.reasoning_content));
    if (typeof delta.content === 'string' && delta.content !== '') events.push(...this.text('message', delta.content));
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) if (isObject(call)) events.push(...this.toolCall(call));
    return events;
  }

  /** Closes every open item and emits the terminal event; `final()` is set afterwards. */
  finish(): ResponseEvent[] {
    const events = this.closeAll();
    const outcome: ResponseOutcome = { ...statusFromFinish(this.finishReason), output: this.output, usage: this.usageSeen };
    this.final = settleResponse(this.shell, outcome);
    const type = outcome.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return [...events, this.event({ type, response: this.final })];
  }

  /** The terminal `response.failed` event for an error met mid-stream. */
  fail(error: GatewayError | undefined, message: string): ResponseEvent[] {
    // Items still open were cut short: OpenAI marks them incomplete, never completed.
    const events = this.closeAll('incomplete');
    this.final = settleResponse(this.shell, { status: 'failed', output: this.output, usage: this.usageSeen, error: { code: error?.code ?? 'server_error', message } });
    return [...events, this.event({ type: 'response.failed', response: this.final })];
  }

  /** The final response object, once finish() or fail() ran. */
  response(): JsonObject | undefined {
    return this.final;
  }

  usage(): TokenUsage | undefined {
    return this.usageSeen;
  }

  private text(kind: 'reasoning' | 'message', delta: string): ResponseEvent[] {
    const events: ResponseEvent[] = [];
    if (this.open?.kind !== kind || this.toolItems.size > 0) events.push(...this.closeAll(), ...this.openTextItem(kind));
    const item = this.open!;
    item.text += delta;
    const where = { item_id: item.id, output_index: item.index };
    if (kind === 'reasoning') events.push(this.event({ type: 'response.reasoning_summary_text.delta', ...where, summary_index: 0, delta }));
    else events.push(this.event({ type: 'response.output_text.delta', ...where, content_index: 0, delta, logprobs: [] }));
    return events;
  }

  private openTextItem(kind: 'reasoning' | 'message'): ResponseEvent[] {
    const item = this.track({ index: this.items.length, id: this.itemId(kind === 'reasoning' ? 'rs_' : 'msg_'), kind, text: '' });
    this.open = item;
    const where = { item_id: item.id, output_index: item.index };
    if (kind === 'reasoning') {
      return [
        this.event({ type: 'response.output_item.added', output_index: item.index, item: outputItems.reasoning(item.id, '') }),
        this.event({ type: 'response.reasoning_summary_part.added', ...where, summary_index: 0, part: { type: 'summary_text', text: '' } }),
      ];
    }
    return [
      this.event({ type: 'response.output_item.added', output_index: item.index, item: { ...outputItems.message(item.id, '', 'in_progress'), content: [] } }),
      this.event({ type: 'response.content_part.added', ...where, content_index: 0, part: outputText('') }),
    ];
  }

  private toolCall(call: JsonObject): ResponseEvent[] {
    const position = typeof call.index === 'number' ? call.index : 0;
    const fn = isObject(call.function) ? call.function : {};
    const events: ResponseEvent[] = [];
    let item = this.toolItems.get(position);
    if (!item) {
      if (this.open) events.push(...this.closeAll());
      item = this.track({
        index: this.items.length,
        id: this.itemId('fc_'),
        kind: 'function_call',
        text: '',
        callId: typeof call.id === 'string' ? call.id : generateId('call_'),
        name: typeof fn.name === 'string' ? fn.name : '',
      });
      this.toolItems.set(position, item);
      events.push(
        this.event({ type: 'response.output_item.added', output_index: item.index, item: outputItems.functionCall(item.id, item.callId!, item.name!, '', 'in_progress') }),
      );
    }
    if (typeof fn.arguments === 'string' && fn.arguments !== '') {
      item.text += fn.arguments;
      events.push(this.event({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: item.index, delta: fn.arguments }));
    }
    return events;
  }

  private itemId(prefix: string): string {
    return outputItemId(prefix, String(this.shell.id), this.items.length);
  }

  private track(item: OpenItem): OpenItem {
    this.items.push(item);
    return item;
  }

  private closeAll(status: ItemStatus = 'completed'): ResponseEvent[] {
    const events: ResponseEvent[] = [];
    const closing = [...(this.open ? [this.open] : []), ...this.toolItems.values()];
    this.open = undefined;
    this.toolItems.clear();
    for (const item of closing) events.push(...this.close(item, status));
    return events;
  }

  private close(item: OpenItem, status: ItemStatus): ResponseEvent[] {
    const where = { item_id: item.id, output_index: item.index };
    const events: ResponseEvent[] = [];
    let done: ResponseItem;
    if (item.kind === 'reasoning') {
      done = outputItems.reasoning(item.id, item.text);
      events.push(this.event({ type: 'response.reasoning_summary_text.done', ...where, summary_index: 0, text: item.text }));
      events.push(this.event({ type: 'response.reasoning_summary_part.done', ...where, summary_index: 0, part: { type: 'summary_text', text: item.text } }));
    } else if (item.kind === 'message') {
      done = outputItems.message(item.id, item.text, status);
      events.push(this.event({ type: 'response.output_text.done', ...where, content_index: 0, text: item.text, logprobs: [] }));
      events.push(this.event({ type: 'response.content_part.done', ...where, content_index: 0, part: outputText(item.text) }));
    } else {
      done = outputItems.functionCall(item.id, item.callId!, item.name!, item.text, status);
      events.push(this.event({ type: 'response.function_call_arguments.done', ...where, name: item.name, arguments: item.text }));
    }
    this.output[item.index] = done;
    events.push(this.event({ type: 'response.output_item.done', output_index: item.index, item: done }));
    return events;
  }

  private event(event: ResponseEvent): ResponseEvent {
    event.sequence_number = this.sequence++;
    return event;
  }
}
