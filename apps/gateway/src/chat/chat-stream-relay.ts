import { performance } from 'node:perf_hooks';
import { toOpenAIError, usageFromOpenAI } from '@app/core';
import { type PrimedChatStream, releaseChatStream } from '@app/providers';
import type { Exchange } from '../pipeline/exchange';
import type { StreamResult } from '../pipeline/route-result';

/** A usage object (not `"usage":null`), in compact or json.dumps (`"usage": {`) spacing. */
const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const USAGE_KEY = '"usage"';

const DONE_EVENT = 'data: [DONE]\n\n';

/**
 * An OpenAI chat completion stream as the responder writes it, one event per chunk. Payloads are
 * not re-serialized; only events that may carry usage are parsed, so the usage can be metered and
 * the extra usage chunk hidden from a client that did not ask for it. A failure mid-stream ends
 * it with a data event carrying `error`, which OpenAI's clients surface as an APIError.
 */
export function chatStreamResult(exchange: Exchange, primed: PrimedChatStream, clientWantsUsage: boolean): StreamResult {
  return { kind: 'sse', status: 200, chunks: new ChatEvents(exchange, primed, clientWantsUsage), onError: openAIErrorEvent };
}

/**
 * The relay as a hand-written iterator rather than an async generator: each event costs the one
 * promise of the upstream's `next()` and its `then`, where the generator's yield, await and
 * queued `next()` made ~6 (every one paying the AsyncLocalStorage hooks). Its single consumer
 * (the responder, or the cache's recorder) pulls one event at a time. Once the upstream ends,
 * fails or the consumer returns, the iterator is done; the upstream is let go unless it ended.
 */
class ChatEvents implements AsyncIterator<string, string | undefined> {
  private started = false;
  private over = false;

  constructor(
    private readonly exchange: Exchange,
    private readonly primed: PrimedChatStream,
    private readonly clientWantsUsage: boolean,
  ) {}

  next(): Promise<IteratorResult<string, string | undefined>> {
    if (this.over) return Promise.resolve({ done: true, value: undefined });
    if (!this.started) {
      this.started = true;
      try {
        const event = this.relayed(this.primed.first);
        if (event !== undefined) return Promise.resolve({ done: false, value: event });
      } catch (error) {
        return Promise.reject(this.failed(error));
      }
    }
    return this.pull();
  }

  /** The client left or relaying failed: the upstream stream is let go at once. */
  return(): Promise<IteratorResult<string, string | undefined>> {
    this.end(false);
    return Promise.resolve({ done: true, value: undefined });
  }

  private pull(): Promise<IteratorResult<string, string | undefined>> {
    return this.primed.rest.next().then(
      (next): IteratorResult<string, string | undefined> | Promise<IteratorResult<string, string | undefined>> => {
        if (this.over) return { done: true, value: undefined };
        if (next.done) {
          this.end(true);
          return { done: true, value: DONE_EVENT };
        }
        let event: string | undefined;
        try {
          event = this.relayed(next.value);
        } catch (error) {
          throw this.failed(error);
        }
        return event === undefined ? this.pull() : { done: false, value: event };
      },
      (error: unknown) => {
        throw this.failed(error);
      },
    );
  }

  /** The SSE event for one upstream chunk; undefined when it is the usage chunk the client did not ask for. */
  private relayed(data: string): string | undefined {
    const hidden = USAGE_OBJECT.test(data) && isUsageOnlyChunk(this.exchange, data) && !this.clientWantsUsage;
    return hidden ? undefined : `data: ${this.clientWantsUsage ? withUsageKey(data) : data}\n\n`;
  }

  private failed(error: unknown): Error {
    this.exchange.errorType = 'upstream_stream_error';
    this.end(false);
    return error instanceof Error ? error : new Error(String(error));
  }

  private end(completed: boolean): void {
    if (this.over) return;
    this.over = true;
    this.exchange.upstreamEndedAt = performance.now();
    if (!completed) releaseChatStream(this.primed.rest);
  }
}

/**
 * With `stream_options.include_usage`, OpenAI puts `"usage": null` on every chunk before the
 * usage chunk, and some clients read the field's presence. OpenAI-dialect upstreams send it
 * themselves; chunks translated from other dialects get it here (the chunk is a JSON object, so
 * the key goes before its closing brace).
 */
function withUsageKey(data: string): string {
  return data.includes(USAGE_KEY) ? data : `${data.slice(0, data.lastIndexOf('}'))},"usage":null}`;
}

function openAIErrorEvent(error: unknown): string {
  return `data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`;
}

/**
 * Records the usage an event carries (the usage-only chunk, or the last content chunk where some
 * servers put it); true when it is a usage-only chunk (no choices, or no `choices` at all).
 */
function isUsageOnlyChunk(exchange: Exchange, data: string): boolean {
  const chunk = JSON.parse(data) as { usage?: unknown; choices?: unknown[] };
  const usage = usageFromOpenAI(chunk.usage);
  if (usage) exchange.usage = usage;
  return !Array.isArray(chunk.choices) || chunk.choices.length === 0;
}
