import { redactSecrets, SseParser } from '@app/core';
import { isObject, type JsonObject } from '@app/responses';

const TERMINAL_EVENT = /"type"\s*:\s*"(?:response\.(completed|failed|incomplete|cancelled)|error)"/;
/** Events whose payload carries upstream error text (and so must be redacted on the way out). */
const ERROR_EVENT = /"type"\s*:\s*"(?:response\.failed|error)"/;
const TERMINAL_NAMES: ReadonlySet<string> = new Set(['response.completed', 'response.failed', 'response.incomplete', 'response.cancelled', 'error']);
const ERROR_NAMES: ReadonlySet<string> = new Set(['response.failed', 'error']);
/** How much of each end of a payload is searched for its `type`. */
const TYPE_WINDOW = 80;

/**
 * Watches a native Responses SSE stream as its bytes are relayed, keeping the final response
 * object (from the terminal event). Only the terminal event is parsed; no chunk is held back.
 */
export class NativeStreamObserver {
  private readonly parser = new SseParser();
  private final?: JsonObject;
  private events = 0;
  /** True once a terminal event (or an `error` event) has arrived: the stream is complete. */
  ended = false;

  /**
   * Observes a chunk; true when it carries upstream error text: it completed such an event, or ends
   * inside one (a last event without its blank line only completes at EOF, after it was relayed).
   */
  push(chunk: Uint8Array): boolean {
    let carriesError = false;
    for (const event of this.parser.push(chunk)) carriesError = this.observe(event.event, event.data) || carriesError;
    const partial = this.parser.partialEventName;
    return carriesError || (partial !== undefined && ERROR_NAMES.has(partial));
  }

  /** True when the upstream left its last event without the blank line: the relay must end it. */
  get unterminated(): boolean {
    return this.parser.hasPartialEvent;
  }

  /** The final response object, once the stream ended with a terminal event. */
  finish(): JsonObject | undefined {
    for (const event of this.parser.end()) this.observe(event.event, event.data);
    return this.final;
  }

  /** The `sequence_number` the next event of this stream would carry (upstream counts from 0). */
  get nextSequenceNumber(): number {
    return this.events;
  }

  private observe(name: string | undefined, data: string): boolean {
    this.events++;
    // OpenAI writes `type` first; servers built on the openai package's pydantic models (vLLM)
    // write it last, after the whole response. The `event:` name, when sent, says it outright.
    const head = data.slice(0, TYPE_WINDOW);
    const tail = data.length > TYPE_WINDOW ? data.slice(-TYPE_WINDOW) : '';
    const terminal = (name !== undefined && TERMINAL_NAMES.has(name)) || TERMINAL_EVENT.test(head) || TERMINAL_EVENT.test(tail);
    if (!terminal) return false;
    this.ended = true;
    const carriesError = (name !== undefined && ERROR_NAMES.has(name)) || ERROR_EVENT.test(head) || ERROR_EVENT.test(tail);
    // A failed response is stored (and served again by GET): its error text is redacted too.
    this.keepFinal(carriesError ? redactSecrets(data) : data);
    return carriesError;
  }

  private keepFinal(data: string): void {
    try {
      const event = JSON.parse(data) as JsonObject;
      if (isObject(event.response)) this.final = event.response;
    } catch {
      // A malformed terminal event leaves nothing to store; the client still got the bytes.
    }
  }
}
