import { Module } from '@nestjs/common';
import { ChatCompletionClient } from './chat-completion-client';
import { ProviderRegistry } from './provider-registry';
import { UpstreamExecutor } from './resilience/upstream-executor';
import { ModelInventory } from './routing/model-inventory';
import { RouterService } from './routing/router.service';

/** Provider instances, model inventory, routing and resilient upstream execution. */
@Module({
  providers: [ProviderRegistry, ModelInventory, RouterService, UpstreamExecutor, ChatCompletionClient],
  exports: [ProviderRegistry, ModelInventory, RouterService, UpstreamExecutor, ChatCompletionClient],
})
export class ProvidersModule {}
