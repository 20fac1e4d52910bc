import { performance } from 'node:perf_hooks';
import { GatewayError, redactSecrets } from '@app/core';
import { type PrimedUpstreamResponse, primedChunks, UpstreamFailure } from '@app/providers';
import type { Exchange } from '../../http/exchange';
import { errorEvent, SSE_HEADERS } from '../messages-sse';
import { AnthropicUsageObserver } from './anthropic-usage-observer';

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Relays a successful native answer to the client: status and body bytes as the provider sent
 * them, each chunk written as it arrives (so SSE flows event by event), usage read off the bytes
 * as they pass. When `meter` is false (count_tokens) nothing is observed. An answer the upstream
 * broke off never ends as a clean success: a stream gets Anthropic's `error` event, a JSON body
 * (whose 200 is already sent) a destroyed connection, so the client's read fails.
 */
export async function relayNativeAnswer(exchange: Exchange, answer: PrimedUpstreamResponse, meter: boolean): Promise<void> {
  const { response } = exchange;
  const contentType = header(answer.headers['content-type']) ?? 'application/json';
  const stream = contentType.toLowerCase().includes('text/event-stream');
  exchange.upstreamStatus = answer.status;
  const observer = meter || stream ? new AnthropicUsageObserver(stream) : undefined;
  const headers: Record<string, string> = stream ? { ...SSE_HEADERS } : { 'content-type': contentType };
  const upstreamRequestId = header(answer.headers['request-id']);
  if (upstreamRequestId) headers['x-upstream-request-id'] = upstreamRequestId;
  response.writeHead(answer.status, headers);
  let failure: unknown;
  try {
    for await (const chunk of primedChunks(answer)) {
      if (stream) exchange.firstTokenAt ??= performance.now();
      // An upstream `error` event carries the upstream's text: it goes out with credentials redacted.
      const carriesError = observer?.push(chunk as Buffer) ?? false;
      if (!response.write(carriesError ? redactSecrets((chunk as Buffer).toString('utf8')) : chunk)) await drained(exchange);
    }
  } catch (error) {
    failure = error;
  }
  exchange.upstreamEndedAt = performance.now();
  // The client left (its close aborted the upstream call): there is no one to tell.
  if (response.destroyed) return;
  // The blank line the upstream left off, so the client's SDK sees its last event (or the error event after it).
  if (stream && observer!.end()) response.write('\n\n');
  if (failure === undefined && stream && !observer!.complete) failure = new Error('stream ended without message_stop');
  if (failure !== undefined) return void endBroken(exchange, stream, failure);
  const usage = meter ? observer?.finish() : undefined;
  if (usage) exchange.usage = usage;
  if (observer?.sawError) exchange.errorType = 'upstream_stream_error';
  response.end();
}

/** Anthropic's clients surface an `error` event as the API error it carries; a JSON read must fail. */
function endBroken(exchange: Exchange, stream: boolean, error: unknown): void {
  exchange.errorType = 'upstream_stream_error';
  if (stream) exchange.response.end(errorEvent(brokenBody(exchange, error)));
  else exchange.response.destroy();
}

/** Waits for the client to take more, or to go away (then the loop's next read fails on the aborted upstream). */
function drained(exchange: Exchange): Promise<void> {
  const { response } = exchange;
  if (response.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/** A transport error of the upstream body, told to the client without its internals. */
function brokenBody(exchange: Exchange, error: unknown): unknown {
  if (error instanceof GatewayError) return error;
  const provider = exchange.provider ?? 'upstream';
  return new UpstreamFailure('reset', provider, `Upstream provider '${provider}' closed the connection before the answer was complete.`, { status: 502, cause: error });
}
