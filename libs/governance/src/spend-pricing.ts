import type { CostBreakdown, TokenUsage } from '@app/core';

/** The upstream a price is looked up for: the configured provider instance and the model id sent upstream. */
export interface PricedTarget {
  readonly provider: string;
  readonly model: string;
}

/**
 * What budgets, the response cache and usage recording need from pricing. Bound to the price
 * table (maintained package + operator overrides) by the governance module.
 */
export interface SpendPricing {
  /**
   * The most a request can cost before it runs: `inputTokens` at the input price plus
   * `maxOutputTokens` at the output price (`batch`: at the provider's batch discount, as batch runs
   * are billed). Null when the model has no known price.
   */
  maxCostMicros(target: PricedTarget, inputTokens: number, maxOutputTokens: number, options?: { readonly batch?: boolean }): number | null;
  /** What an exchange cost, from its usage (or the provider's own reported cost). Null when no price is known. */
  costOf(target: PricedTarget, usage: TokenUsage, options?: { readonly batch?: boolean }): CostBreakdown | null;
}

export const SPEND_PRICING = Symbol('SPEND_PRICING');
