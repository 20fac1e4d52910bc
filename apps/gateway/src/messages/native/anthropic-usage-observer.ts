import { SseParser, type TokenUsage, usageFromAnthropic } from '@app/core';

/** JSON answers larger than this are relayed without metering rather than held in memory. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

/**
 * Reads token usage off a native Messages answer as its bytes pass to the client, never holding
 * a chunk back. In a stream only the events that can carry usage (message_start: input and cache
 * tokens; message_delta: cumulative output, sometimes input too) are parsed; later fields win.
 * A JSON answer is parsed once, after its last chunk has been written.
 */
export class AnthropicUsageObserver {
  private readonly sse?: SseParser;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private fields?: Record<string, unknown>;
  /** True once the stream carried an `error` event (Anthropic reports overloads this way mid-stream). */
  sawError = false;
  /** True once the stream carried `message_stop`: the answer is complete. */
  sawStop = false;

  constructor(stream: boolean) {
    if (stream) this.sse = new SseParser();
  }

  /**
   * Observes a chunk; true when it carries upstream `error` event text: it completed one, or ends
   * inside one (a last event without its blank line only completes at EOF, after it was relayed).
   */
  push(chunk: Buffer): boolean {
    if (this.sse) {
      const errorsBefore = this.sawError;
      for (const event of this.sse.push(chunk)) this.observeEvent(event.event, event.data);
      return (this.sawError && !errorsBefore) || this.sse.partialEventName === 'error';
    }
    this.size += chunk.length;
    if (this.size <= MAX_JSON_BYTES) this.chunks.push(chunk);
    else this.chunks.length = 0;
    return false;
  }

  /**
   * At EOF: takes in a last event that came without its blank line (recorded Anthropic streams end
   * so). True when there was one: the relay then ends it for the client, whose SDK would drop it.
   */
  end(): boolean {
    if (!this.sse?.hasPartialEvent) return false;
    for (const event of this.sse.end()) this.observeEvent(event.event, event.data);
    return true;
  }

  /** True when a stream ended as Anthropic ends one: with `message_stop` or an `error` event. */
  get complete(): boolean {
    return this.sawStop || this.sawError;
  }

  /** The usage seen, once the body has ended. */
  finish(): TokenUsage | undefined {
    if (!this.sse && this.size > 0 && this.size <= MAX_JSON_BYTES) {
      this.merge((parse(Buffer.concat(this.chunks).toString('utf8')) as { usage?: unknown } | undefined)?.usage);
    }
    return this.fields ? usageFromAnthropic(this.fields) : undefined;
  }

  private observeEvent(name: string | undefined, data: string): void {
    if (name === 'error') this.sawError = true;
    else if (name === 'message_stop') this.sawStop = true;
    if (name !== 'message_start' && name !== 'message_delta') return;
    const payload = parse(data) as { usage?: unknown; message?: { usage?: unknown } } | undefined;
    this.merge(name === 'message_start' ? payload?.message?.usage : payload?.usage);
  }

  private merge(usage: unknown): void {
    if (!usage || typeof usage !== 'object') return;
    const defined = Object.entries(usage as Record<string, unknown>).filter(([, value]) => value !== null && value !== undefined);
    this.fields = { ...this.fields, ...Object.fromEntries(defined) };
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
