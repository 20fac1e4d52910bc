import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { type AliasConfig, APP_CONFIG, type AppConfig, type RoutingConfig } from '@app/config';
import { GatewayError, parseModelSelector } from '@app/core';
import { ProviderRegistry } from '../provider-registry';
import { ModelInventory } from './model-inventory';
import { type RandomSource, type ResolvedTarget, ROUTE_RANDOM, type RoutePlan, weightedOrder } from './route-plan';

export type { ResolvedTarget, RoutePlan } from './route-plan';

/**
 * Turns a client's model selector into a RoutePlan. An alias (SWITCHYARD_CONFIG) gives its
 * weighted pick, then its other targets, then its fallbacks; any other selector resolves as
 * `resolve` says, followed by its configured fallback chain.
 */
@Injectable()
export class RouterService {
  private readonly logger = new Logger(RouterService.name);
  private readonly isProvider = (name: string) => this.registry.has(name);
  private readonly routing: RoutingConfig;
  private readonly random: RandomSource;
  /** Configured selectors already reported as unservable, so the warning is logged once each. */
  private readonly warned = new Set<string>();

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly inventory: ModelInventory,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(ROUTE_RANDOM) random?: RandomSource,
  ) {
    this.routing = config.routing;
    this.random = random ?? Math.random;
  }

  /** Configured alias names, in file order (for GET /v1/models). */
  aliases(): string[] {
    return Object.keys(this.routing.aliases);
  }

  plan(selector: string): RoutePlan {
    const alias = Object.hasOwn(this.routing.aliases, selector) ? this.routing.aliases[selector] : undefined;
    if (alias) return this.aliasPlan(selector, alias);
    const first = this.resolve(selector);
    const chain = this.chainOf(selector, `${first.provider.name}/${first.model}`);
    if (chain.length === 0) return { selector, targets: [first] };
    return { selector, targets: unique([first, ...this.resolveConfigured(chain)]) };
  }

  /**
   * Resolves a client's model selector to one target. `provider/model` picks that provider (split
   * on the first `/` only when the prefix is a configured provider); a bare model goes to the
   * first provider, in configuration order, whose inventory lists it.
   */
  resolve(selector: string): ResolvedTarget {
    const target = this.tryResolve(selector);
    if (!target) throw GatewayError.modelNotFound(selector);
    return target;
  }

  /**
   * The weighted pick first, then the alias's other targets (in weighted order), then its
   * fallbacks. The other targets come before the fallbacks because the operator already sends
   * live traffic to them for this alias: they are peers, while fallbacks are the last resort.
   */
  private aliasPlan(selector: string, alias: AliasConfig): RoutePlan {
    const ordered = weightedOrder(alias.targets, this.random).map((target) => target.model);
    const targets = unique(this.resolveConfigured([...ordered, ...alias.fallbacks]));
    if (targets.length === 0) throw GatewayError.modelNotFound(selector);
    return { selector, alias: selector, targets };
  }

  /** The chain of the selector as sent, then the one of its canonical `provider/model`. */
  private chainOf(selector: string, canonical: string): readonly string[] {
    const { fallbacks } = this.routing;
    const sent = Object.hasOwn(fallbacks, selector) ? fallbacks[selector] : undefined;
    const resolved = canonical !== selector && Object.hasOwn(fallbacks, canonical) ? fallbacks[canonical] : undefined;
    if (!resolved) return sent ?? [];
    return sent ? [...sent, ...resolved] : resolved;
  }

  /**
   * Operator-written selectors, under the same rule as a client's `provider/model`: one whose
   * provider lists its catalogue without that model cannot be served, so it is left out (and
   * reported once) rather than failing the request that the rest of the plan can still serve.
   */
  private resolveConfigured(selectors: readonly string[]): ResolvedTarget[] {
    const targets: ResolvedTarget[] = [];
    for (const selector of selectors) {
      const target = this.tryResolve(selector);
      if (target) targets.push(target);
      else if (!this.warned.has(selector)) {
        this.warned.add(selector);
        this.logger.warn({ msg: 'a routing target names a model its provider does not list; it is skipped', selector, file: this.routing.file });
      }
    }
    return targets;
  }

  private tryResolve(selector: string): ResolvedTarget | undefined {
    const parsed = parseModelSelector(selector, this.isProvider);
    if (parsed.provider) {
      const provider = this.registry.get(parsed.provider)!;
      // With an explicit provider, trust the caller when we cannot see that provider's catalogue.
      const servable = this.inventory.serves(provider.name, parsed.model) || !this.inventory.isKnown(provider.name);
      return servable ? { provider, model: parsed.model } : undefined;
    }
    for (const provider of this.registry.all()) {
      if (this.inventory.serves(provider.name, parsed.model)) return { provider, model: parsed.model };
    }
    return undefined;
  }
}

function unique(targets: readonly ResolvedTarget[]): ResolvedTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const key = `${target.provider.name}/${target.model}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
