import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { type ProviderInstance, ProviderRegistry } from '@app/providers';

/**
 * Which configured providers passthrough may reach (PASSTHROUGH_ENABLED, PASSTHROUGH_PROVIDERS),
 * and how a `/p/{provider}` segment names one: an instance name (`openai-east`) or a type name
 * (`openai`), which means the first instance of that type.
 */
@Injectable()
export class PassthroughProviders {
  private readonly enabled: ReadonlySet<string>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly registry: ProviderRegistry,
  ) {
    const allowed = config.passthrough.providers;
    const instances = config.passthrough.enabled ? registry.all() : [];
    this.enabled = new Set(instances.filter((instance) => !allowed || allowed.includes(instance.name) || allowed.includes(instance.config.type)).map((instance) => instance.name));
  }

  /** The instance for a provider segment; 404 when none is configured, 400 when it is not enabled. */
  resolve(segment: string): ProviderInstance {
    const instance = this.registry.get(segment) ?? this.registry.all().find((candidate) => candidate.config.type === segment);
    if (!instance) {
      throw new GatewayError('not_found', `Unknown provider '${segment}'. ${this.enabledList()}`, { code: 'provider_not_found' });
    }
    if (!this.enabled.has(instance.name)) {
      throw GatewayError.invalidRequest(`Passthrough is not enabled for provider '${instance.name}'. ${this.enabledList()}`, undefined, 'provider_disabled');
    }
    return instance;
  }

  private enabledList(): string {
    return this.enabled.size === 0 ? 'Passthrough is enabled for no provider.' : `Passthrough is enabled for: ${[...this.enabled].join(', ')}.`;
  }
}
