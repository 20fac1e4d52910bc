import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { CostBreakdown, TokenUsage } from '@app/core';
import { GatewayMetrics } from '@app/observability';
import { ModelPriceOverridesRepository } from '@app/storage';
import type { PricedTarget, SpendPricing } from '../spend-pricing';
import { configPrices, type OperatorPrice, priceKey, ratesFromOverride } from './operator-prices';
import { PackagePrices } from './package-prices';
import { DEFAULT_BATCH_DISCOUNT_PERCENT, packageProviderId } from './price-providers';
import { costFromRates, maxCostFromRates, type PriceSource, type TokenRates } from './token-rates';

/** How often a replica re-reads the admin overrides another replica may have changed. */
export const OVERRIDE_REFRESH_MS = 30_000;

/** Where a target's price comes from, once resolved (cached per provider+model). */
type Resolved = { readonly rates: TokenRates; readonly source: PriceSource } | { readonly providerId: string; readonly model: string; readonly source: PriceSource };

/**
 * The price table: what an exchange cost, in integer micro-dollars. Precedence, first match wins:
 * 1. the cost the provider reported itself (OpenRouter `usage.cost`, xAI cost ticks): it is what
 *    was billed, discounts included;
 * 2. an admin override (`/admin/model-pricing-overrides`), then the YAML `pricing.models` entry,
 *    for the instance name (`openai-east/gpt-4o`) before the provider type (`openai/gpt-4o`);
 * 3. @pydantic/genai-prices' bundled data for the instance's provider type and the upstream model id.
 * No price → null (and `switchyard_cost_unknown_total` for usage records), never a guess.
 */
@Injectable()
export class PricingService implements SpendPricing, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PricingService.name);
  private readonly packagePrices = new PackagePrices();
  private readonly typeByInstance: ReadonlyMap<string, string>;
  private readonly fromConfig: ReadonlyMap<string, OperatorPrice>;
  private fromAdmin = new Map<string, TokenRates>();
  private readonly resolved = new Map<string, Resolved | null>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly overrides: ModelPriceOverridesRepository,
    private readonly metrics: GatewayMetrics,
  ) {
    this.typeByInstance = new Map(config.providers.map((provider) => [provider.name, provider.type]));
    this.fromConfig = configPrices(config.routing.pricing);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reloadOverrides();
    this.timer = setInterval(() => void this.reloadOverrides(), OVERRIDE_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the admin overrides (after a change, and periodically for changes made on other replicas). */
  async reloadOverrides(): Promise<void> {
    try {
      const rows = await this.overrides.all();
      this.fromAdmin = new Map(rows.map((row) => [priceKey(row.provider, row.model), ratesFromOverride(row)]));
      this.resolved.clear();
    } catch (error) {
      // The previous overrides stay in force; the next refresh tries again.
      this.logger.warn({ msg: 'price overrides could not be read', err: error });
    }
  }

  /** Forgets every cached match after the price database was replaced (PriceDataRefresher). */
  priceDataChanged(): void {
    this.packagePrices.clear();
  }

  maxCostMicros(target: PricedTarget, inputTokens: number, maxOutputTokens: number, options?: { readonly batch?: boolean }): number | null {
    const rates = this.ratesAt(target, new Date(), inputTokens);
    return rates ? maxCostFromRates(rates.rates, inputTokens, maxOutputTokens, options?.batch ? this.batchDiscountPercent(target.provider) : 0) : null;
  }

  costOf(target: PricedTarget, usage: TokenUsage, options?: { readonly batch?: boolean }): CostBreakdown | null {
    return this.costAt(target, usage, new Date(), options);
  }

  /** costOf at a given instant (conditional prices such as DeepSeek's off-peak hours depend on it). */
  costAt(target: PricedTarget, usage: TokenUsage, at: Date, options?: { readonly batch?: boolean }): CostBreakdown | null {
    const priced = this.ratesAt(target, at, usage.inputTokens);
    if (usage.reportedCostMicros !== undefined) {
      const parts = priced ? costFromRates(priced.rates, usage, 'provider_reported') : costFromRates({ input: 0, output: 0 }, usage, 'provider_reported');
      return { ...parts, total: usage.reportedCostMicros };
    }
    if (!priced) return null;
    return costFromRates(priced.rates, usage, priced.source, options?.batch ? this.batchDiscountPercent(target.provider) : 0);
  }

  /** The cost of a usage record: as costOf, and an unknown price is counted. */
  recordCost(target: PricedTarget, usage: TokenUsage, options?: { readonly batch?: boolean }): CostBreakdown | null {
    const cost = this.costOf(target, usage, options);
    if (cost === null) this.metrics.countCostUnknown(target.provider, target.model);
    return cost;
  }

  private batchDiscountPercent(instance: string): number {
    const type = this.typeOf(instance);
    const configured = this.config.routing.pricing.batchDiscountPercent;
    return configured[instance] ?? configured[type] ?? DEFAULT_BATCH_DISCOUNT_PERCENT[type] ?? 0;
  }

  private ratesAt(target: PricedTarget, at: Date, inputTokens: number): { rates: TokenRates; source: PriceSource } | null {
    const resolved = this.resolve(target);
    if (!resolved) return null;
    if ('rates' in resolved) return resolved;
    const rates = this.packagePrices.rates(resolved.providerId, resolved.model, at, inputTokens);
    return rates ? { rates, source: resolved.source } : null;
  }

  private resolve(target: PricedTarget): Resolved | null {
    const key = priceKey(target.provider, target.model);
    const cached = this.resolved.get(key);
    if (cached !== undefined) return cached;
    const resolved = this.lookUp(target);
    this.resolved.set(key, resolved);
    return resolved;
  }

  private lookUp({ provider, model }: PricedTarget): Resolved | null {
    const type = this.typeOf(provider);
    for (const owner of provider === type ? [provider] : [provider, type]) {
      const admin = this.fromAdmin.get(priceKey(owner, model));
      if (admin) return { rates: admin, source: 'override' };
    }
    for (const owner of provider === type ? [provider] : [provider, type]) {
      const configured = this.fromConfig.get(priceKey(owner, model));
      if (configured) return 'rates' in configured ? { rates: configured.rates, source: 'override' } : { ...configured.priceAs, source: 'price_table' };
    }
    const providerId = packageProviderId(type);
    return providerId ? { providerId, model, source: 'price_table' } : null;
  }

  /** An instance's provider type; a name no longer configured (an old usage row) is taken as a type. */
  private typeOf(instance: string): string {
    return this.typeByInstance.get(instance) ?? instance;
  }
}
