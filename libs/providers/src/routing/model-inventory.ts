import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { resolveRequestId } from '@app/core';
import { GatewayMetrics } from '@app/observability';
import type { UpstreamModel } from '../adapters/provider-adapter';
import type { ProviderInstance } from '../provider-instance';
import { ProviderRegistry } from '../provider-registry';

/** How long boot waits for the first listing before serving with the configured fallback lists. */
const BOOT_LISTING_TIMEOUT_MS = 5_000;

interface ProviderModels {
  readonly models: ReadonlyMap<string, UpstreamModel>;
  readonly source: 'upstream' | 'config' | 'none';
}

/** How a provider's last listing went, for the operator console. */
export interface ListingStatus {
  /** When the last listing was attempted; undefined before the first. */
  readonly refreshedAt?: Date;
  /** Its error message when it failed (the previous list is kept). */
  readonly error?: string;
  readonly source: 'upstream' | 'config' | 'none';
  readonly modelCount: number;
}

/**
 * Which models each provider serves: its `GET /models` listing, fetched at boot and then on an
 * interval, falling back to `<TYPE>_MODELS` when the listing fails.
 */
@Injectable()
export class ModelInventory implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ModelInventory.name);
  private readonly inventory = new Map<string, ProviderModels>();
  private readonly listings = new Map<string, { refreshedAt: Date; error?: string }>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ProviderRegistry,
    metrics: GatewayMetrics,
  ) {
    for (const provider of registry.all()) this.inventory.set(provider.name, fromConfig(provider));
    // Metric labels may name only what this inventory knows; a client's model string is not one.
    metrics.useLabelCatalogue({ hasProvider: (name) => registry.has(name), hasModel: (provider, model) => this.has(provider, model) });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh(BOOT_LISTING_TIMEOUT_MS);
    this.timer = setInterval(() => void this.refresh(this.config.upstream.firstByteTimeoutMs), this.config.upstream.modelRefreshIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Re-reads every provider's listing; a failed listing keeps the previous (or configured) list. */
  async refresh(timeoutMs: number): Promise<void> {
    await Promise.all(this.registry.all().map((provider) => this.refreshOne(provider, timeoutMs)));
  }

  has(providerName: string, model: string): boolean {
    return this.inventory.get(providerName)?.models.has(model) ?? false;
  }

  /** Whether a request for `model` may be routed to the provider: listed, or one the adapter accepts unlisted. */
  serves(providerName: string, model: string): boolean {
    return this.has(providerName, model) || (this.registry.get(providerName)?.adapter.acceptsModel?.(model) ?? false);
  }

  /** True when the gateway knows the provider's catalogue (listed or configured). */
  isKnown(providerName: string): boolean {
    return (this.inventory.get(providerName)?.source ?? 'none') !== 'none';
  }

  listingStatus(providerName: string): ListingStatus {
    const models = this.inventory.get(providerName);
    return { ...this.listings.get(providerName), source: models?.source ?? 'none', modelCount: models?.models.size ?? 0 };
  }

  modelsOf(providerName: string): UpstreamModel[] {
    return [...(this.inventory.get(providerName)?.models.values() ?? [])];
  }

  private async refreshOne(provider: ProviderInstance, timeoutMs: number): Promise<void> {
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      const models = await provider.adapter.listModels({ requestId: resolveRequestId(undefined), signal });
      this.inventory.set(provider.name, { models: new Map(models.map((model) => [model.id, model])), source: 'upstream' });
      this.listings.set(provider.name, { refreshedAt: new Date() });
    } catch (error) {
      this.listings.set(provider.name, { refreshedAt: new Date(), error: (error as Error).message });
      const current = this.inventory.get(provider.name);
      this.logger.warn({
        msg: 'model listing failed; keeping the previous list',
        provider: provider.name,
        source: current?.source ?? 'none',
        error: (error as Error).message,
      });
    }
  }
}

function fromConfig(provider: ProviderInstance): ProviderModels {
  const models = provider.config.models;
  return {
    models: new Map(models.map((id) => [id, { id, ownedBy: provider.config.type }])),
    source: models.length > 0 ? 'config' : 'none',
  };
}
