import { SseParser, type SseEvent } from '@app/core';
import type { UpstreamHttp, UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { parseOpenAIError } from './openai-errors';

/**
 * A choice that finished: `"finish_reason": "stop"`, not `null` nor the `""` some servers send
 * mid-stream. A quote inside content is escaped, so text cannot fake it.
 */
const FINISHED_CHOICE = /"finish_reason"\s*:\s*"[^"]/;

/**
 * The data of each event of an OpenAI-style SSE body, up to `[DONE]`. The payloads are not
 * parsed (the hot path only inspects the ones it needs); a cheap shape check catches garbage.
 * Many compatible servers end without `[DONE]`, or without a blank line after the last event: a
 * stream that ends cleanly after a finish_reason is complete. One that ends before any
 * finish_reason, breaks, or carries an error event throws UpstreamFailure.
 */
export function openAIEventData(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse): AsyncIterableIterator<string> {
  return new OpenAIEventStream(http, provider, response);
}

/**
 * A hand-written iterator rather than an async generator: an event already framed out of a
 * network chunk is handed over with one promise, and a new chunk costs the body's next() and one
 * then(); the generator's yield, await and queued next() made ~5 per event, each paying the
 * AsyncLocalStorage hooks. Its one consumer pulls an event at a time, and each event is checked
 * as it is handed over, so the events before a malformed one still reach the client. After
 * `[DONE]` the rest of the body is read to its end before `done`, so the keep-alive connection
 * goes back to the pool; a failure or an early return lets the body go.
 */
class OpenAIEventStream implements AsyncIterableIterator<string> {
  private readonly parser = new SseParser();
  private readonly body: AsyncIterator<unknown>;
  /** `[DONE]` arrived. */
  private sawDone = false;
  /** A chunk carried a non-null finish_reason: the answer is over even if `[DONE]` never comes. */
  private finished = false;
  /** Events framed from the latest chunk and not handed over yet. */
  private events: SseEvent[] = [];
  private nextEvent = 0;
  /** The body ended, failed or was let go: no more reads. */
  private over = false;
  /** The body ended without `[DONE]`: once its last events are handed over, it must have finished. */
  private checkCompleteAtEnd = false;

  constructor(
    private readonly http: UpstreamHttp,
    private readonly provider: string,
    response: UpstreamHttpResponse,
  ) {
    this.body = response.body[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<string> {
    return this;
  }

  next(): Promise<IteratorResult<string, undefined>> {
    while (this.nextEvent < this.events.length) {
      const event = this.events[this.nextEvent++];
      if (event.data === '[DONE]') {
        this.sawDone = true;
        this.frame([]);
        break;
      }
      let data: string;
      try {
        data = checkedEvent(this.provider, event.event, event.data);
      } catch (error) {
        this.letGo();
        return Promise.reject(this.http.transportFailure(error));
      }
      if (!this.finished && FINISHED_CHOICE.test(data)) this.finished = true;
      return Promise.resolve({ done: false, value: data });
    }
    if (this.checkCompleteAtEnd) {
      this.checkCompleteAtEnd = false;
      if (!this.sawDone && !this.finished) {
        return Promise.reject(new UpstreamFailure('protocol', this.provider, `Upstream provider '${this.provider}' ended the stream before it was complete.`));
      }
    }
    if (this.over) return Promise.resolve({ done: true, value: undefined });
    return this.read();
  }

  return(): Promise<IteratorResult<string, undefined>> {
    this.letGo();
    this.frame([]);
    this.checkCompleteAtEnd = false;
    return Promise.resolve({ done: true, value: undefined });
  }

  private read(): Promise<IteratorResult<string, undefined>> {
    return this.body.next().then(
      (chunk) => {
        if (this.over) return { done: true, value: undefined };
        if (chunk.done) {
          this.over = true;
          // Recorded streams end without the blank line after the last event (or without [DONE]).
          if (!this.sawDone) this.frame(this.parser.end());
          this.checkCompleteAtEnd = true;
          return this.next();
        }
        // After [DONE] keep reading to the end so the keep-alive connection goes back to the pool.
        if (this.sawDone) return this.read();
        this.frame(this.parser.push(chunk.value as Buffer));
        return this.next();
      },
      (error: unknown) => {
        this.over = true;
        throw this.http.transportFailure(error);
      },
    );
  }

  private frame(events: SseEvent[]): void {
    this.events = events;
    this.nextEvent = 0;
  }

  private letGo(): void {
    if (this.over) return;
    this.over = true;
    void this.body.return?.()?.catch(() => undefined);
  }
}

function checkedEvent(provider: string, eventName: string | undefined, data: string): string {
  const looksLikeObject = data.charCodeAt(0) === 123 && data.charCodeAt(data.length - 1) === 125; // { … }
  if (!looksLikeObject) {
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' sent a malformed stream event.`);
  }
  if (eventName === 'error' || data.startsWith('{"error"')) {
    const parsed = parseOpenAIError(data);
    throw new UpstreamFailure('status', provider, parsed.message ?? `Upstream provider '${provider}' reported an error mid-stream.`, {
      status: 502,
      code: parsed.code,
    });
  }
  return data;
}
