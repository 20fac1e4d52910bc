import { emptyPricing, type PricingConfig } from './pricing-config';

/** One weighted target of an alias: a `provider/model` selector and its share of the traffic. */
export interface WeightedTarget {
  readonly model: string;
  /** Relative weight, > 0: with weights 3 and 1 the first target gets 75 % of the requests. */
  readonly weight: number;
}

/** A model name clients may send that the gateway maps to one or more real targets. */
export interface AliasConfig {
  readonly targets: readonly WeightedTarget[];
  /** `provider/model` selectors tried in order when the picked target cannot serve the request. */
  readonly fallbacks: readonly string[];
}

/**
 * Aliases and failover chains from the optional SWITCHYARD_CONFIG file. Every selector in it is a
 * `provider/model` naming a configured provider, never another alias, so chains cannot loop.
 * Records are built without a prototype: a client sending `model: "constructor"` finds nothing.
 */
export interface RoutingConfig {
  /** Absolute path of the file the routing came from; undefined when SWITCHYARD_CONFIG is unset. */
  readonly file?: string;
  readonly aliases: Readonly<Record<string, AliasConfig>>;
  /** Failover chains for plain selectors, keyed by `provider/model` or by a bare model name. */
  readonly fallbacks: Readonly<Record<string, readonly string[]>>;
  /** The file's `pricing:` section (operator prices and batch discounts). */
  readonly pricing: PricingConfig;
  /** The file's `cache.models:` section, keyed by alias, `provider/model` or bare model name. */
  readonly cache: Readonly<Record<string, ModelCacheConfig>>;
}

/** One model's (or alias's) response-cache settings; unset fields fall back to the env settings. */
export interface ModelCacheConfig {
  /** false: never cached, whatever CACHE_ENABLED says (true is the default once CACHE_ENABLED is on). */
  readonly enabled?: boolean;
  readonly ttlMs?: number;
  /** Cache requests that may answer differently each time (temperature other than 0, n > 1). */
  readonly allowNondeterministic?: boolean;
  readonly scope?: 'per_key' | 'shared';
}

/** The routing of a gateway without a config file: no aliases, no chains. */
export function emptyRouting(file?: string): RoutingConfig {
  return {
    file,
    aliases: Object.create(null) as Record<string, AliasConfig>,
    fallbacks: Object.create(null) as Record<string, readonly string[]>,
    pricing: emptyPricing(),
    cache: Object.create(null) as Record<string, ModelCacheConfig>,
  };
}
