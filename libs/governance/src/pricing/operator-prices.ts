import type { ModelPriceConfig, PriceKey, PricingConfig } from '@app/config';
import type { ModelPriceOverrideEntity } from '@app/storage';
import { packageProviderId } from './price-providers';
import { ratePerMillion, type TokenRates } from './token-rates';

/** An operator's price for one provider+model: explicit rates, or a model of the price database to price it as. */
export type OperatorPrice = { readonly rates: TokenRates } | { readonly priceAs: { readonly providerId: string; readonly model: string } };

export const priceKey = (provider: string, model: string): string => `${provider}\u0000${model}`;

function ratesFromConfig(prices: Readonly<Partial<Record<PriceKey, number>>>): TokenRates {
  const rate = (key: PriceKey) => (prices[key] === undefined ? undefined : ratePerMillion(prices[key]));
  return {
    input: rate('input_mtok') ?? 0,
    output: rate('output_mtok') ?? 0,
    cachedInput: rate('cache_read_mtok'),
    cacheWrite: rate('cache_write_mtok'),
    reasoning: rate('output_reasoning_mtok'),
    audioInput: rate('input_audio_mtok'),
    audioOutput: rate('output_audio_mtok'),
  };
}

function fromConfig(entry: ModelPriceConfig): OperatorPrice | undefined {
  if ('prices' in entry) return { rates: ratesFromConfig(entry.prices) };
  const slash = entry.priceAs.indexOf('/');
  const providerId = packageProviderId(entry.priceAs.slice(0, slash));
  return providerId ? { priceAs: { providerId, model: entry.priceAs.slice(slash + 1) } } : undefined;
}

/** The YAML `pricing.models` entries by provider+model (`price_as` naming an unknown provider prices nothing). */
export function configPrices(pricing: PricingConfig): Map<string, OperatorPrice> {
  const prices = new Map<string, OperatorPrice>();
  for (const [selector, entry] of Object.entries(pricing.models)) {
    const slash = selector.indexOf('/');
    const price = fromConfig(entry);
    if (price) prices.set(priceKey(selector.slice(0, slash), selector.slice(slash + 1)), price);
  }
  return prices;
}

/** A stored admin override as rates (nulls fall back to the parent rate). */
export function ratesFromOverride(row: ModelPriceOverrideEntity): TokenRates {
  return {
    input: row.inputPerMtok,
    output: row.outputPerMtok,
    cachedInput: row.cachedInputPerMtok ?? undefined,
    cacheWrite: row.cacheWritePerMtok ?? undefined,
    reasoning: row.reasoningPerMtok ?? undefined,
    audioInput: row.audioInputPerMtok ?? undefined,
    audioOutput: row.audioOutputPerMtok ?? undefined,
  };
}
