import { conversationTokensNow, estimateConversationTokens, outputTokenBound } from '@app/core';
import type { Exchange } from '../pipeline/exchange';

/** Routes that produce no output tokens: their maximum is their input. */
const NO_OUTPUT_ROUTES: ReadonlySet<string> = new Set(['/v1/embeddings', '/v1/messages/count_tokens', '/v1/responses/input_tokens']);

/**
 * Routes that move files or manage batches, not tokens: request and in-flight limits apply; token
 * limits and budgets do not (a batch's items are charged as they run).
 */
const TOKENLESS_ROUTES: ReadonlySet<string> = new Set(['/v1/files', '/v1/files/{file_id}', '/v1/batches']);

/** Routes that cost nothing upstream: limits apply, budgets do not. */
export const FREE_ROUTES: ReadonlySet<string> = new Set(['/v1/messages/count_tokens', '/v1/responses/input_tokens', ...TOKENLESS_ROUTES]);

export interface RequestTokens {
  readonly input: number;
  readonly maxOutput: number;
}

const estimates = new WeakMap<Exchange, RequestTokens | Promise<RequestTokens>>();

/**
 * The request's token bound, counted once per exchange and shared by the policies: input counted
 * locally over the whole body text (an upper bound: JSON punctuation and field names count too),
 * output the request's own maximum (`max_tokens`, `max_completion_tokens`, `max_output_tokens`)
 * or the configured default when it names none. A body that fits one counting slice is counted
 * at once, without a promise (most requests); a larger one is counted in slices, yielding between.
 */
export function requestTokens(exchange: Exchange, model: string, defaultMaxOutput: number): RequestTokens | Promise<RequestTokens> {
  let estimate = estimates.get(exchange);
  if (estimate === undefined) {
    estimate = count(exchange, model, defaultMaxOutput);
    estimates.set(exchange, estimate);
  }
  return estimate;
}

function count(exchange: Exchange, model: string, defaultMaxOutput: number): RequestTokens | Promise<RequestTokens> {
  if (TOKENLESS_ROUTES.has(exchange.route)) return { input: 0, maxOutput: 0 };
  const maxOutput = NO_OUTPUT_ROUTES.has(exchange.route) ? 0 : outputTokenBound(exchange.body, defaultMaxOutput);
  const text = exchange.bodyText;
  if (!text) return { input: 0, maxOutput };
  const input = conversationTokensNow([text], 0, model);
  if (input !== undefined) return { input, maxOutput };
  return estimateConversationTokens([text], 0, model).then((counted) => ({ input: counted, maxOutput }));
}
