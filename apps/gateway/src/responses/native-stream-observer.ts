import { redactSecrets, SseParser } from '@app/core';
import { isObject, type JsonObject } from '@app/responses';

const TERMINAL_EVENT = /"type"\s*:\s*"(?:response\.(completed|failed|incomplete|cancelled)|error)"/;
/** Events whose payload carries upstream error text (and so must be redacted on the way out). */
const ERROR_EVENT = /"type"\s*:\s*"(?:response\.failed|error)"/;

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

  /** Observes a chunk; true when it completed an event that carries upstream error text. */
  push(chunk: Uint8Array): boolean {
    let carriesError = false;
    for (const event of this.parser.push(chunk)) carriesError = this.observe(event.event, event.data) || carriesError;
    return carriesError;
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
    const head = data.slice(0, 80);
    if (name !== 'error' && !TERMINAL_EVENT.test(head)) return false;
    this.ended = true;
    const carriesError = name === 'error' || ERROR_EVENT.test(head);
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
