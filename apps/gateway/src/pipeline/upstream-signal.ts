import type { Exchange } from './exchange';

/**
 * The signal for an exchange's upstream call: aborted when the client disconnects before its
 * answer is complete, and, when a deadline is given, when the deadline passes (with a
 * TimeoutError reason, which the executor reports as 504 rather than as a cancellation).
 *
 * One controller and one timer cleared on close: AbortSignal.timeout() would keep every request's
 * closure alive for the whole deadline (10 minutes by default), and AbortSignal.any() retains its
 * sources on Node 20 — both grew the heap linearly with traffic.
 */
export function upstreamSignal(exchange: Exchange, deadlineMs?: number): AbortSignal {
  const controller = new AbortController();
  const timer =
    deadlineMs === undefined ? undefined : setTimeout(() => controller.abort(new DOMException(`The upstream call exceeded ${deadlineMs} ms.`, 'TimeoutError')), deadlineMs);
  exchange.response.once('close', () => {
    clearTimeout(timer);
    if (!exchange.response.writableFinished) controller.abort();
  });
  return controller.signal;
}
