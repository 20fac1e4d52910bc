import { Module } from '@nestjs/common';
import { ProvidersModule } from '@app/providers';
import { ConversationsRepository } from '@app/storage';
import { BackgroundResponseRun } from './background/background-response-run';
import { StaleResponseSweeper } from './background/stale-response-sweeper';
import { CancelFlags } from './engine/cancel-flags';
import { CONVERSATION_ITEMS } from './engine/conversation-items.port';
import { ResponseHistory } from './engine/response-history';
import { ResponsePersistence } from './engine/response-persistence';
import { ResponseStore } from './engine/response-store';
import { TranslatedRunner } from './engine/translated-runner';

const EXPORTED = [ResponseStore, ResponseHistory, ResponsePersistence, TranslatedRunner, CancelFlags, BackgroundResponseRun, StaleResponseSweeper];

/**
 * The Responses engine shared by the gateway (foreground requests, lifecycle routes) and the
 * worker (background runs). Needs StorageModule, CacheModule, ConfigModule and ObservabilityModule
 * (all global) in the application.
 */
@Module({
  imports: [ProvidersModule],
  providers: [
    ...EXPORTED, // Conversations live in @app/storage (the Conversations API's repository); Responses reads and appends turns.
    { provide: CONVERSATION_ITEMS, useExisting: ConversationsRepository },
  ],
  exports: [...EXPORTED, CONVERSATION_ITEMS, ProvidersModule],
})
export class ResponsesEngineModule {}
