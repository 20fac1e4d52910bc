import { estimateConversationTokens, outputTokenBound } from '@app/core';
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

const estimates = new WeakMap<Exchange, Promise<RequestTokens>>();

/**
 * The request's token bound, counted once per exchange and shared by the policies: input counted
 * locally over the whole body text (an upper bound: JSON punctuation and field names count too),
 * output the request's own maximum (`max_tokens`, `max_completion_tokens`, `max_output_tokens`)
 * or the configured default when it names none.
 */
export function requestTokens(exchange: Exchange, model: string, defaultMaxOutput: number): Promise<RequestTokens> {
  let estimate = estimates.get(exchange);
  if (!estimate) {
    estimate = count(exchange, model, defaultMaxOutput);
    estimates.set(exchange, estimate);
  }
  return estimate;
}

async function count(exchange: Exchange, model: string, defaultMaxOutput: number): Promise<RequestTokens> {
  if (TOKENLESS_ROUTES.has(exchange.route)) return { input: 0, maxOutput: 0 };
  const input = exchange.bodyText ? await estimateConversationTokens([exchange.bodyText], 0, model) : 0;
  if (NO_OUTPUT_ROUTES.has(exchange.route)) return { input, maxOutput: 0 };
  return { input, maxOutput: outputTokenBound(exchange.body, defaultMaxOutput) };
}
