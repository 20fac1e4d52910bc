import { performance } from 'node:perf_hooks';
import { toOpenAIError, usageFromOpenAI } from '@app/core';
import { type PrimedChatStream, releaseChatStream } from '@app/providers';
import type { Exchange } from '../pipeline/exchange';
import type { StreamResult } from '../pipeline/route-result';

/** A usage object (not `"usage":null`), in compact or json.dumps (`"usage": {`) spacing. */
const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const USAGE_KEY = '"usage"';

/**
 * An OpenAI chat completion stream as the responder writes it, one event per chunk. Payloads are
 * not re-serialized; only events that may carry usage are parsed, so the usage can be metered and
 * the extra usage chunk hidden from a client that did not ask for it. A failure mid-stream ends
 * it with a data event carrying `error`, which OpenAI's clients surface as an APIError.
 */
export function chatStreamResult(exchange: Exchange, primed: PrimedChatStream, clientWantsUsage: boolean): StreamResult {
  return { kind: 'sse', status: 200, chunks: chatEvents(exchange, primed, clientWantsUsage), onError: openAIErrorEvent };
}

async function* chatEvents(exchange: Exchange, primed: PrimedChatStream, clientWantsUsage: boolean): AsyncGenerator<string, string> {
  const rest = primed.rest;
  let ended = false;
  try {
    let next: IteratorResult<string> = { done: false, value: primed.first };
    while (!next.done) {
      const data = next.value;
      const hidden = USAGE_OBJECT.test(data) && isUsageOnlyChunk(exchange, data) && !clientWantsUsage;
      if (!hidden) yield `data: ${clientWantsUsage ? withUsageKey(data) : data}\n\n`;
      next = await rest.next();
    }
    ended = true;
  } catch (error) {
    exchange.errorType = 'upstream_stream_error';
    throw error;
  } finally {
    exchange.upstreamEndedAt = performance.now();
    // The client left or relaying failed: the upstream stream is let go at once.
    if (!ended) releaseChatStream(rest);
  }
  return 'data: [DONE]\n\n';
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
