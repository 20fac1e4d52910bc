import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CacheModule } from '@app/cache';
import { type AppConfig, ConfigModule } from '@app/config';
import { ObservabilityModule } from '@app/observability';
import { BatchesEngineModule, BatchesProcessor } from '@app/batches';
import { QueueModule } from '@app/queue';
import { ResponsesEngineModule, ResponsesProcessor } from '@app/responses';
import { StorageModule, UsageRetentionProcessor } from '@app/storage';
import { AuthGuard } from './auth/auth.guard';
import { ChatModule } from './chat/chat.module';
import { ConversationsModule } from './conversations/conversations.module';
import { EmbeddingsModule } from './embeddings/embeddings.module';
import { FilesModule } from './files/files.module';
import { BatchesModule } from './batches/batches.module';
import { HealthModule } from './health/health.module';
import { GatewayExceptionFilter } from './http/gateway-exception.filter';
import { HttpCoreModule } from './http/http-core.module';
import { MessagesModule } from './messages/messages.module';
import { ModelsModule } from './models/models.module';
import { type AdmissionPolicy, AdmissionModule } from './pipeline/admission';
import { PassthroughModule } from './passthrough/passthrough.module';
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
        // Without Redis there is no worker app: the gateway runs the same processors in-process.
        QueueModule.forRoot(config, {
          processors: [UsageRetentionProcessor, ResponsesProcessor, BatchesProcessor],
          imports: [ResponsesEngineModule, BatchesEngineModule],
          consume: !config.redisUrl,
        }),
        AdmissionModule.forRoot(options.policies),
        HttpCoreModule,
        ChatModule,
        MessagesModule,
        ConversationsModule,
        EmbeddingsModule,
        ModelsModule,
        PassthroughModule,
        ResponsesModule,
        FilesModule,
        BatchesModule,
        HealthModule,
        ...(options.modules ?? []),
      ],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: GatewayExceptionFilter },
      ],
    };
  }
}
