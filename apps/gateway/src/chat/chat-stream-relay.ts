import { performance } from 'node:perf_hooks';
import { toOpenAIError, usageFromOpenAI } from '@app/core';
import { releaseChatStream } from '@app/providers';
import type { Exchange } from '../http/exchange';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies in front of the gateway not to buffer the stream.
  'x-accel-buffering': 'no',
};

/** A usage object (not `"usage":null`), in compact or json.dumps (`"usage": {`) spacing. */
const USAGE_OBJECT = /"usage"\s*:\s*\{/;

/**
 * Relays an OpenAI chat completion stream to the client, one write (and so one flush) per event.
 * Payloads are not re-serialized; only events that may carry usage are parsed, so the usage can be
 * metered and the extra usage chunk hidden from a client that did not ask for it.
 */
export async function relayChatStream(
  exchange: Exchange,
  firstEvent: string,
  rest: AsyncIterator<string>,
  clientWantsUsage: boolean,
): Promise<void> {
  const response = exchange.response;
  response.writeHead(200, SSE_HEADERS);
  try {
    let next: IteratorResult<string> = { done: false, value: firstEvent };
    while (!next.done) {
      if (response.destroyed) {
        // The client left: the abort signal has already cancelled the upstream call.
        releaseChatStream(rest);
        return;
      }
      const data = next.value;
      const hidden = USAGE_OBJECT.test(data) && isUsageOnlyChunk(exchange, data) && !clientWantsUsage;
      if (!hidden) response.write(`data: ${data}\n\n`);
      next = await rest.next();
    }
    exchange.upstreamEndedAt = performance.now();
    response.end('data: [DONE]\n\n');
  } catch (error) {
    exchange.upstreamEndedAt = performance.now();
    exchange.errorType = 'upstream_stream_error';
    // A failure on our side of the relay leaves the upstream stream open: let it go.
    releaseChatStream(rest);
    if (response.destroyed) return;
    // OpenAI's clients surface a data event carrying `error` as an APIError.
    response.end(`data: ${JSON.stringify(toOpenAIError(error).body)}\n\n`);
  }
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
