import { SseParser } from '@app/core';

/** A `speech.audio.done` / `transcript.text.done` event: the end of an audio stream, with its usage. */
const DONE_TYPES: ReadonlySet<string> = new Set(['speech.audio.done', 'transcript.text.done']);

/**
 * Watches an audio SSE stream as it is relayed (the bytes pass untouched): notes the terminal
 * `*.done` event and keeps its payload, which carries the usage. Only events whose data names a
 * done type are parsed; the many base64 `speech.audio.delta` events are not. Some
 * OpenAI-compatible servers (vLLM) stream transcriptions as chunks ending in `data: [DONE]`
 * instead: that is a clean end too, with no usage.
 */
export class AudioEventObserver {
  private readonly parser = new SseParser();
  private done?: Record<string, unknown>;
  private sawDoneMarker = false;

  /** True once the stream ended properly (a done event, or `[DONE]`). */
  get ended(): boolean {
    return this.done !== undefined || this.sawDoneMarker;
  }

  push(chunk: Buffer): void {
    for (const event of this.parser.push(chunk)) this.see(event.data);
  }

  /** True when the upstream left its last event without the closing blank line. */
  get unterminated(): boolean {
    return this.parser.hasPartialEvent;
  }

  /** At the end of the stream: the done event's payload, or undefined when the stream never ended properly. */
  finish(): Record<string, unknown> | undefined {
    for (const event of this.parser.end()) this.see(event.data);
    return this.done;
  }

  private see(data: string): void {
    if (data === '[DONE]') this.sawDoneMarker = true;
    if (!data.includes('.done"')) return;
    try {
      const payload = JSON.parse(data) as Record<string, unknown>;
      if (typeof payload.type === 'string' && DONE_TYPES.has(payload.type)) this.done = payload;
    } catch {
      // Not JSON: relayed as it is; only a done event matters here.
    }
  }
}
