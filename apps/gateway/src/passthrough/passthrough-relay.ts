import { performance } from 'node:perf_hooks';
import type { Exchange } from '../pipeline/exchange';
import type { RawResult } from '../pipeline/route-result';
import type { PassthroughAnswer } from './passthrough-forwarder';
import { clientResponseHeaders } from './passthrough-headers';
import { PassthroughUsageObserver } from './passthrough-usage';

/**
 * An upstream answer as the responder relays it: as the provider sent it (status, headers minus
 * cookies and hop-by-hop ones, body bytes untouched), each chunk written as it arrives so SSE and
 * chunked downloads flow. When `meter` is set, usage is read off the bytes as they pass.
 */
export function relayedAnswer(exchange: Exchange, answer: PassthroughAnswer, meter: boolean): RawResult {
  exchange.upstreamStatus = answer.status;
  exchange.stream = String(answer.headers['content-type'] ?? '')
    .toLowerCase()
    .includes('text/event-stream');
  observe(exchange, answer, meter ? PassthroughUsageObserver.forAnswer(answer.status, answer.headers) : undefined);
  return { kind: 'raw', status: answer.status, headers: clientResponseHeaders(answer.headers), body: answer.body };
}

/**
 * Listeners attached before the pipeline's own run first, so the exchange is complete before the
 * client's response ends and is recorded (on `close`).
 */
function observe(exchange: Exchange, answer: PassthroughAnswer, observer: PassthroughUsageObserver | undefined): void {
  answer.body.on('data', (chunk: Buffer) => {
    if (exchange.stream) exchange.firstTokenAt ??= performance.now();
    observer?.push(chunk);
  });
  answer.body.once('end', () => {
    exchange.upstreamEndedAt = performance.now();
    const usage = observer?.finish();
    if (usage) exchange.usage = usage;
  });
  answer.body.once('error', () => {
    exchange.upstreamEndedAt = performance.now();
    // When the client left first, its response is already destroyed: that is recorded as client_closed.
    if (!exchange.response.destroyed) exchange.errorType ??= 'upstream_stream_error';
  });
}
