/** One Server-Sent Event; `data` joins multi-line data fields with "\n". */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/**
 * Incremental SSE parser (WHATWG event-stream rules): feed it bytes as they arrive, it returns the
 * events completed so far. Handles CRLF, LF and CR line endings, comments, `data:` with or without
 * the space, and split UTF-8. Unlike a browser it keeps a last event that the stream did not end
 * with a blank line: call `end()` at EOF (real servers end that way).
 */
export class SseParser {
  private readonly decoder = new TextDecoder();
  private pending = '';
  private dataLines: string[] = [];
  private eventName?: string;
  private lastId?: string;

  push(chunk: Uint8Array): SseEvent[] {
    return this.consume(this.pending + this.decoder.decode(chunk, { stream: true }));
  }

  /**
   * At EOF: returns a final event that was not terminated by a blank line. Whether it is complete
   * is for the dialect to judge (a finish marker, a terminal event), not the framing.
   */
  end(): SseEvent[] {
    const events = this.consume(`${this.pending + this.decoder.decode()}\n\n`);
    this.pending = '';
    return events;
  }

  /** True when bytes of an incomplete event are still held (used to detect truncated streams). */
  get hasPartialEvent(): boolean {
    return this.pending.length > 0 || this.dataLines.length > 0;
  }

  /** The `event:` name of the event in progress, if its name line has arrived. */
  get partialEventName(): string | undefined {
    return this.eventName;
  }

  private consume(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (let index = 0; index < text.length; index++) {
      const char = text.charCodeAt(index);
      if (char !== 10 && char !== 13) continue;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (char === 13 && index === text.length - 1) break;
      this.line(text.slice(start, index), events);
      if (char === 13 && text.charCodeAt(index + 1) === 10) index++;
      start = index + 1;
    }
    this.pending = text.slice(start);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.dataLines.length > 0) {
        events.push({ event: this.eventName, data: this.dataLines.join('\n'), id: this.lastId });
      }
      this.dataLines = [];
      this.eventName = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'id') this.lastId = value;
  }
}
