import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { Exchange } from './exchange';
import type { JsonResult, RawResult, RouteResult, StreamResult } from './route-result';

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies in front of the gateway not to buffer the stream.
  'x-accel-buffering': 'no',
};

/**
 * The one writer of hot-path answers. Streams honour backpressure: when a write is refused the
 * source is not pulled again until the client drains, so a slow client holds the upstream (undici
 * stops reading its socket) instead of making the gateway buffer the stream. A client that leaves
 * stops the source (its `return()` lets the upstream go; the exchange's signal aborts the call).
 */
@Injectable()
export class Responder {
  /** A JSON answer is written at once (no promise); a relay returns the promise of its end. */
  send(exchange: Exchange, result: RouteResult): void | Promise<void> {
    if (result.kind === 'json') return writeJson(exchange.response, result);
    if (result.kind === 'raw') return relayRaw(exchange.response, result);
    return relayStream(exchange, result);
  }
}

function writeJson(response: ServerResponse, result: JsonResult): void {
  const length = typeof result.body === 'string' ? Buffer.byteLength(result.body) : result.body.length;
  const head = { 'content-type': 'application/json', ...result.headers, 'content-length': length };
  response.writeHead(result.status, head);
  response.end(result.body);
}

async function relayRaw(response: ServerResponse, result: RawResult): Promise<void> {
  response.writeHead(result.status, result.headers);
  try {
    // pipeline() pauses the body while the client's socket is full and destroys it when the client leaves.
    await pipeline(result.body, response);
  } catch {
    // The client left, or the upstream body broke: the route's observers have accounted for it.
  }
}

async function relayStream(exchange: Exchange, result: StreamResult): Promise<void> {
  const { response } = exchange;
  const chunks = result.chunks;
  response.writeHead(result.status, result.kind === 'sse' ? (result.headers ? { ...SSE_HEADERS, ...result.headers } : SSE_HEADERS) : result.headers);
  let last: string | Buffer | void;
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        last = next.value;
        break;
      }
      if (response.destroyed || (!response.write(next.value) && !(await drained(response)))) return stop(chunks);
    }
  } catch (error) {
    exchange.errorType ??= 'upstream_stream_error';
    if (response.destroyed) return;
    const event = result.onError(error);
    if (event === undefined) response.destroy();
    else response.end(event);
    return;
  }
  if (!response.destroyed) response.end(last ?? undefined);
}

/** The client left: the source's `finally` lets the upstream go. */
function stop(chunks: StreamResult['chunks']): void {
  void chunks.return?.()?.catch(() => undefined);
}

/** True once the client has taken the buffered bytes, false when it went away instead. */
function drained(response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve(!response.destroyed);
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
