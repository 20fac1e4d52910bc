import { estimateConversationTokens, outputTokenBound } from '@app/core';
import type { PricedTarget, SpendPricing } from '@app/governance';

const NO_OUTPUT_ENDPOINTS: ReadonlySet<string> = new Set(['/v1/embeddings']);

/**
 * The most one batch line can cost, as the foreground path bounds a request: its whole body
 * counted locally (an upper bound: JSON punctuation and field names count too) plus its own output
 * maximum or the configured default; `batch` prices it at the provider's batch discount. 0 when
 * the model has no known price (a spent budget still refuses it).
 */
export async function itemMaxCostMicros(
  pricing: SpendPricing,
  endpoint: string,
  target: PricedTarget,
  request: Record<string, unknown>,
  defaultMaxOutput: number,
  options?: { readonly batch?: boolean },
): Promise<number> {
  const input = await estimateConversationTokens([JSON.stringify(request)], 0, target.model);
  const maxOutput = NO_OUTPUT_ENDPOINTS.has(endpoint) ? 0 : outputTokenBound(request, defaultMaxOutput);
  return pricing.maxCostMicros(target, input, maxOutput, options) ?? 0;
}
