import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { ChatCompletionClient } from './chat-completion-client';
import { ConfiguredSecrets } from './configured-secrets';
import { ProviderRegistry } from './provider-registry';
import { UpstreamExecutor } from './resilience/upstream-executor';
import { ModelInventory } from './routing/model-inventory';
import { RouterService } from './routing/router.service';

/** Provider instances, model inventory, routing and resilient upstream execution. */
@Module({
  providers: [
    ProviderRegistry,
    ModelInventory,
    RouterService,
    UpstreamExecutor,
    ChatCompletionClient,
    // Registers every configured credential with the redactor before any upstream call is made.
    { provide: ConfiguredSecrets, useFactory: ConfiguredSecrets.fromConfig, inject: [APP_CONFIG] },
  ],
  exports: [ProviderRegistry, ModelInventory, RouterService, UpstreamExecutor, ChatCompletionClient, ConfiguredSecrets],
})
export class ProvidersModule {}
