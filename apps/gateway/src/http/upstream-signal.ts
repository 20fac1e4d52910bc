import type { Exchange } from './exchange';

/**
 * The signal for an exchange's upstream call: aborted when the client disconnects before its
 * answer is complete, and, when a deadline is given, when the deadline passes.
 */
export function upstreamSignal(exchange: Exchange, deadlineMs?: number): AbortSignal {
  const controller = new AbortController();
  exchange.response.once('close', () => {
    if (!exchange.response.writableFinished) controller.abort();
  });
  if (deadlineMs === undefined) return controller.signal;
  return AbortSignal.any([controller.signal, AbortSignal.timeout(deadlineMs)]);
}
