import { SseParser } from '@app/core';
import { isObject, type JsonObject } from '@app/responses';

const TERMINAL_EVENT = /"type"\s*:\s*"response\.(completed|failed|incomplete|cancelled)"/;

/**
 * Watches a native Responses SSE stream as its bytes are relayed, keeping the final response
 * object (from the terminal event). Only the terminal event is parsed; no chunk is held back.
 */
export class NativeStreamObserver {
  private readonly parser = new SseParser();
  private final?: JsonObject;

  push(chunk: Uint8Array): void {
    for (const event of this.parser.push(chunk)) this.observe(event.data);
  }

  /** The final response object, once the stream ended with a terminal event. */
  finish(): JsonObject | undefined {
    for (const event of this.parser.end()) this.observe(event.data);
    return this.final;
  }

  private observe(data: string): void {
    if (!TERMINAL_EVENT.test(data.slice(0, 80))) return;
    try {
      const event = JSON.parse(data) as JsonObject;
      if (isObject(event.response)) this.final = event.response;
    } catch {
      // A malformed terminal event leaves nothing to store; the client still got the bytes.
    }
  }
}
