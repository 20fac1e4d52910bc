import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ConfigError, type ProviderConfig } from '@app/config';
import { GatewayMetrics } from '@app/observability';
import { AzureOpenAIAdapter } from './adapters/azure/azure-openai.adapter';
import { BedrockAdapter } from './adapters/bedrock/bedrock.adapter';
import { AnthropicAdapter } from './adapters/anthropic/anthropic.adapter';
import { GeminiAdapter } from './adapters/gemini/gemini.adapter';
import { MockAdapter } from './adapters/mock/mock.adapter';
import { OpenAICompatibleAdapter } from './adapters/openai/openai-compatible.adapter';
import type { ProviderAdapter } from './adapters/provider-adapter';
import type { ProviderInstance } from './provider-instance';
import { CircuitBreaker } from './resilience/circuit-breaker';

type AdapterFactory = (provider: ProviderConfig, config: AppConfig) => ProviderAdapter;

/** One factory per upstream dialect; a new dialect is one entry here plus its adapter folder. */
const ADAPTER_FACTORIES: Partial<Record<ProviderConfig['dialect'], AdapterFactory>> = {
  openai: (provider, config) => new OpenAICompatibleAdapter(provider, config.upstream),
  gemini: (provider, config) => new GeminiAdapter(provider, config.upstream),
  anthropic: (provider, config) => new AnthropicAdapter(provider, config.upstream),
  azure: (provider, config) => new AzureOpenAIAdapter(provider, config.upstream),
  bedrock: (provider, config) => new BedrockAdapter(provider, config.upstream),
  mock: (provider, config) => new MockAdapter(provider, config.upstream),
};

function createAdapter(provider: ProviderConfig, config: AppConfig): ProviderAdapter {
  const factory = ADAPTER_FACTORIES[provider.dialect];
  if (!factory) throw new ConfigError(`${provider.type.toUpperCase()}_API_KEY`, `configures a ${provider.dialect} provider, which this build cannot serve`);
  return factory(provider, config);
}

/** Said at boot, loudly: a gateway meant for real traffic would otherwise answer with echoes. */
function warnAutomaticMock(): void {
  new Logger('Providers').warn(
    '!!! No provider is configured: the built-in MOCK provider is serving (models mock/echo, mock/tool, mock/fail-<status>, mock/slow-<duration>, mock/reset-mid-stream). Answers are fake. Set a provider key such as OPENAI_API_KEY, or MOCK_PROVIDER=false to turn it off. !!!',
  );
}

/** Holds every configured provider instance, in configuration order. */
@Injectable()
export class ProviderRegistry implements OnApplicationShutdown {
  private readonly byName = new Map<string, ProviderInstance>();

  constructor(@Inject(APP_CONFIG) config: AppConfig, metrics: GatewayMetrics) {
    for (const provider of config.providers) {
      const breaker = new CircuitBreaker({
        failureThreshold: config.upstream.breakerFailureThreshold,
        cooldownMs: config.upstream.breakerCooldownMs,
        onStateChange: (state) => metrics.setBreakerState(provider.name, state),
      });
      metrics.setBreakerState(provider.name, 'closed');
      const adapter = createAdapter(provider, config);
      this.byName.set(provider.name, { name: provider.name, config: provider, adapter, breaker });
      if (provider.mock?.automatic) warnAutomaticMock();
    }
  }

  get(name: string): ProviderInstance | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  all(): ProviderInstance[] {
    return [...this.byName.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.all().map((provider) => provider.adapter.close()));
  }
}
