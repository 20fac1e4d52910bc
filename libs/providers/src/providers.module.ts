import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ChatCompletionClient } from './chat-completion-client';
import { ConfiguredSecrets } from './configured-secrets';
import { ProviderRegistry } from './provider-registry';
import { FailoverRunner } from './resilience/failover-runner';
import { UpstreamExecutor } from './resilience/upstream-executor';
import { ModelInventory } from './routing/model-inventory';
import { RouterService } from './routing/router.service';

/** Provider instances, model inventory, routing (plans) and resilient upstream execution (retries, breaker, failover). */
@Module({
  providers: [
    ProviderRegistry,
    ModelInventory,
    RouterService,
    UpstreamExecutor,
    FailoverRunner,
    ChatCompletionClient,
    // Registers every configured credential with the redactor before any upstream call is made.
    { provide: ConfiguredSecrets, useFactory: (config: AppConfig) => ConfiguredSecrets.fromConfig(config), inject: [APP_CONFIG] },
  ],
  exports: [ProviderRegistry, ModelInventory, RouterService, UpstreamExecutor, FailoverRunner, ChatCompletionClient, ConfiguredSecrets],
})
export class ProvidersModule {}
