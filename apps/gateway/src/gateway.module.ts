import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';

import { CacheModule } from '@app/cache';
import { type AppConfig, ConfigModule } from '@app/config';
import { PricingModule } from '@app/governance';
import { ObservabilityModule } from '@app/observability';
import { AdmissionStoreModule, BudgetsModule, KeysModule, RateLimitsModule } from '@app/governance';
import { BatchesEngineModule, BatchesProcessor, FilesRetentionProcessor } from '@app/batches';
import { QueueModule } from '@app/queue';
import { ResponsesEngineModule, ResponsesProcessor } from '@app/responses';
import { StorageModule, UsageRetentionProcessor } from '@app/storage';
import { AuthKeysModule } from './admin/auth-keys/auth-keys.module';
import { AdminModule } from './admin/admin.module';
import { PricingAdminModule } from './admin/pricing/pricing-admin.module';
import { AuthGuard } from './auth/auth.guard';
import { BudgetsAdminModule } from './admin/budgets/budgets-admin.module';
import { AudioModule } from './audio/audio.module';
import { ChatModule } from './chat/chat.module';
import { ConversationsModule } from './conversations/conversations.module';
import { EmbeddingsModule } from './embeddings/embeddings.module';
import { GovernancePolicy } from './governance/governance.policy';
import { ModelAccessModule } from './governance/model-access.module';
import { ModelAccessPolicy } from './governance/model-access.policy';
import { FilesModule } from './files/files.module';
import { BatchesModule } from './batches/batches.module';
import { HealthModule } from './health/health.module';
import { GatewayExceptionFilter } from './http/gateway-exception.filter';
import { HttpCoreModule } from './http/http-core.module';
import { MessagesModule } from './messages/messages.module';
import { ModelsModule } from './models/models.module';
import { type AdmissionPolicy, AdmissionModule } from './pipeline/admission';
import { PassthroughModule } from './passthrough/passthrough.module';
import { RealtimeModule } from './realtime/realtime.module';
import { ResponsesModule } from './responses/responses.module';

/**
 * Root module of the HTTP gateway. Built from a validated config (so tests build it with their
 * own) and carrying the global guard and filter, so a test module gets production's stack.
 */
/** What a gateway is built with beyond its config: admission policies, extra feature modules. */
export interface GatewayModuleOptions {
  /** Admission policies, in the order the pipeline runs them. */
  readonly policies?: readonly Type<AdmissionPolicy>[];
  /** More feature modules (their @HotRoute methods and controllers join the same pipeline). */
  readonly modules?: readonly (Type | DynamicModule)[];
}

@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig, options: GatewayModuleOptions = {}): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config),
        StorageModule.forRoot(config),
        CacheModule.forRoot(config),
        PricingModule,
        // Without Redis there is no worker app: the gateway runs the same processors in-process.
        QueueModule.forRoot(config, {
          processors: [UsageRetentionProcessor, ResponsesProcessor, FilesRetentionProcessor, BatchesProcessor],
          imports: [ResponsesEngineModule, BatchesEngineModule],
          consume: !config.redisUrl,
        }),
        KeysModule.forRoot(config),
        ModelAccessModule,
        RateLimitsModule.forRoot(config),
        BudgetsModule.forRoot(config),
        AdmissionStoreModule,
        // Model access first (a request for a model the key may not use reserves nothing), then rate
        // limits and budgets together, in one store call (a refusal by either holds nothing).
        AdmissionModule.forRoot([ModelAccessPolicy, GovernancePolicy, ...(options.policies ?? [])]),
        HttpCoreModule,
        ChatModule,
        MessagesModule,
        ConversationsModule,
        EmbeddingsModule,
        AudioModule,
        ModelsModule,
        PassthroughModule,
        ResponsesModule,
        FilesModule,
        RealtimeModule,
        BatchesModule,
        HealthModule,
        AuthKeysModule,
        BudgetsAdminModule,
        AdminModule,
        PricingAdminModule,
        ...(options.modules ?? []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: GatewayExceptionFilter },
      ],
    };
  }
}
