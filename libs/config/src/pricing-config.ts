/** Price keys an operator may set in the routing file, in USD per million tokens (the package's names). */
export const PRICE_KEYS = ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok', 'output_reasoning_mtok', 'input_audio_mtok', 'output_audio_mtok'] as const;

export type PriceKey = (typeof PRICE_KEYS)[number];

/** One `pricing.models` entry: explicit prices, or "price this like another model" (an Azure deployment name → `openai/gpt-4o`). */
export type ModelPriceConfig = { readonly prices: Readonly<Partial<Record<PriceKey, number>>> } | { readonly priceAs: string };

/**
 * The `pricing:` section of the SWITCHYARD_CONFIG file: operator prices that win over the
 * bundled price database, and batch discounts beyond (or instead of) the published ones.
 */
export interface PricingConfig {
  /** Keyed by `provider/model`, where provider is an instance name or a provider type. */
  readonly models: Readonly<Record<string, ModelPriceConfig>>;
  /** Percent off for batch runs, keyed by instance name or provider type. */
  readonly batchDiscountPercent: Readonly<Record<string, number>>;
}

export function emptyPricing(): PricingConfig {
  return { models: Object.create(null) as Record<string, ModelPriceConfig>, batchDiscountPercent: Object.create(null) as Record<string, number> };
}
