import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type { Exchange } from '../http/exchange';
import type { PassthroughAnswer } from './passthrough-forwarder';
import { clientResponseHeaders } from './passthrough-headers';
import { PassthroughUsageObserver } from './passthrough-usage';

/**
 * Relays an upstream answer to the client as the provider sent it (status, headers minus cookies
 * and hop-by-hop ones, body bytes untouched), each chunk written as it arrives so SSE and chunked
 * downloads flow. When `meter` is set, usage is read off the bytes as they pass.
 */
export async function relayAnswer(exchange: Exchange, answer: PassthroughAnswer, meter: boolean): Promise<void> {
  const { response } = exchange;
  exchange.upstreamStatus = answer.status;
  exchange.stream = String(answer.headers['content-type'] ?? '').toLowerCase().includes('text/event-stream');
  observe(exchange, answer, meter ? PassthroughUsageObserver.forAnswer(answer.status, answer.headers) : undefined);
  response.writeHead(answer.status, clientResponseHeaders(answer.headers));
  try {
    await pipeline(answer.body, response);
  } catch {
    // Already accounted for by observe(): the client left, or the upstream body broke.
  }
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
