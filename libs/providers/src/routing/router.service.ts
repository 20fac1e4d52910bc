import { Injectable } from '@nestjs/common';
import { GatewayError, parseModelSelector } from '@app/core';
import type { ProviderInstance } from '../provider-instance';
import { ProviderRegistry } from '../provider-registry';
import { ModelInventory } from './model-inventory';

/** Where a request goes: the provider instance and the model id that provider knows. */
export interface ResolvedTarget {
  readonly provider: ProviderInstance;
  readonly model: string;
}

/**
 * Resolves a client's model selector. `provider/model` picks that provider (split on the first
 * `/` only when the prefix is a configured provider); a bare model goes to the first provider, in
 * configuration order, whose inventory lists it.
 */
@Injectable()
export class RouterService {
  private readonly isProvider = (name: string) => this.registry.has(name);

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly inventory: ModelInventory,
  ) {}

  resolve(selector: string): ResolvedTarget {
    const parsed = parseModelSelector(selector, this.isProvider);
    if (parsed.provider) {
      const provider = this.registry.get(parsed.provider)!;
      // With an explicit provider, trust the client when we cannot see that provider's catalogue.
      if (this.inventory.has(provider.name, parsed.model) || !this.inventory.isKnown(provider.name)) {
        return { provider, model: parsed.model };
      }
      throw GatewayError.modelNotFound(selector);
    }
    for (const provider of this.registry.all()) {
      if (this.inventory.has(provider.name, parsed.model)) return { provider, model: parsed.model };
    }
    throw GatewayError.modelNotFound(selector);
  }
}
