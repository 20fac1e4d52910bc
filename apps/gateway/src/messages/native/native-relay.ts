import { performance } from 'node:perf_hooks';
import { GatewayError, redactSecrets } from '@app/core';
import { type PrimedUpstreamResponse, primedChunks, UpstreamFailure } from '@app/providers';
import type { Exchange } from '../../pipeline/exchange';
import type { StreamResult } from '../../pipeline/route-result';
import { errorEvent } from '../messages-sse';
import { AnthropicUsageObserver } from './anthropic-usage-observer';

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A successful native answer as the responder relays it: status and body bytes as the provider
 * sent them, each chunk written as it arrives (so SSE flows event by event), usage read off the
 * bytes as they pass. When `meter` is false (count_tokens) nothing is observed. An answer the
 * upstream broke off never ends as a clean success: a stream gets Anthropic's `error` event, a
 * JSON body (whose 200 is already sent) a destroyed connection, so the client's read fails.
 */
export function nativeAnswerResult(exchange: Exchange, answer: PrimedUpstreamResponse, meter: boolean): StreamResult {
  const contentType = header(answer.headers['content-type']) ?? 'application/json';
  const stream = contentType.toLowerCase().includes('text/event-stream');
  exchange.upstreamStatus = answer.status;
  const observer = meter || stream ? new AnthropicUsageObserver(stream) : undefined;
  const headers: Record<string, string> = stream ? {} : { 'content-type': contentType };
  const upstreamRequestId = header(answer.headers['request-id']);
  if (upstreamRequestId) headers['x-upstream-request-id'] = upstreamRequestId;
  return {
    kind: stream ? 'sse' : 'stream',
    status: answer.status,
    headers,
    chunks: nativeChunks(exchange, answer, stream, meter, observer),
    // Anthropic's clients surface an `error` event as the API error it carries; a JSON read must fail.
    onError: stream ? (error) => errorEvent(brokenBody(exchange, error)) : () => undefined,
  };
}

async function* nativeChunks(
  exchange: Exchange,
  answer: PrimedUpstreamResponse,
  stream: boolean,
  meter: boolean,
  observer: AnthropicUsageObserver | undefined,
): AsyncGenerator<string | Buffer> {
  try {
    for await (const chunk of primedChunks(answer)) {
      if (stream) exchange.firstTokenAt ??= performance.now();
      // An upstream `error` event carries the upstream's text: it goes out with credentials redacted.
      const carriesError = observer?.push(chunk) ?? false;
      yield carriesError ? redactSecrets(chunk.toString('utf8')) : chunk;
    }
  } finally {
    exchange.upstreamEndedAt = performance.now();
  }
  // The blank line the upstream left off, so the client's SDK sees its last event (or the error event after it).
  if (stream && observer!.end()) yield '\n\n';
  if (stream && !observer!.complete) throw new Error('stream ended without message_stop');
  const usage = meter ? observer?.finish() : undefined;
  if (usage) exchange.usage = usage;
  if (observer?.sawError) exchange.errorType = 'upstream_stream_error';
}

/** A transport error of the upstream body, told to the client without its internals. */
function brokenBody(exchange: Exchange, error: unknown): unknown {
  if (error instanceof GatewayError) return error;
  const provider = exchange.provider ?? 'upstream';
  return new UpstreamFailure('reset', provider, `Upstream provider '${provider}' closed the connection before the answer was complete.`, { status: 502, cause: error });
}
