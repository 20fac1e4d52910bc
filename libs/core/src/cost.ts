/**
 * The cost of one exchange in integer micro-dollars (1 USD = 1,000,000 micros), by kind of token.
 * `total` is what budgets and analytics add up; the parts say where it came from. When the
 * provider reported its own cost (OpenRouter `usage.cost`, xAI cost ticks) `total` is that figure
 * and `source` says so.
 */
export interface CostBreakdown {
  readonly input: number;
  readonly cachedInput: number;
  readonly cacheWrite: number;
  readonly output: number;
  readonly reasoning: number;
  readonly audioInput: number;
  readonly audioOutput: number;
  readonly total: number;
  readonly source: 'price_table' | 'override' | 'provider_reported';
}
