import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@app/config';
import { buildDataSourceOptions } from './database/data-source-options';
import { UsageRetentionProcessor } from './usage/usage-retention.processor';
import { UsageWriter } from './usage/usage-writer';
import { UsageRepository } from './usage/usage.repository';
import { ConversationsRepository } from './conversations/conversations.repository';
import { ResponsesRepository } from './responses/responses.repository';
import { BatchesRepository } from './batches/batches.repository';
import { BatchItemsRepository } from './batches/batch-items.repository';
import { FilesRepository } from './files/files.repository';

const PROVIDERS = [UsageRepository, ConversationsRepository, UsageWriter, UsageRetentionProcessor, ResponsesRepository, FilesRepository, BatchesRepository, BatchItemsRepository];

/**
 * The relational store: PostgreSQL when DATABASE_URL is set, otherwise SQLite in DATA_DIR.
 * Runs pending migrations at boot unless RUN_MIGRATIONS=false. Exports the usage repository,
 * writer and retention processor, and TypeORM's DataSource (for readiness checks). Needs
 * ObservabilityModule (GatewayMetrics) and ConfigModule (APP_CONFIG) in the application.
 */
@Global()
@Module({})
export class StorageModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      imports: [TypeOrmModule.forRoot({ ...buildDataSourceOptions(config), retryAttempts: config.databaseBootRetries, retryDelay: config.databaseBootRetryDelayMs })],
      providers: PROVIDERS,
      // TypeOrmModule re-exported so DataSource is injectable wherever StorageModule is imported.
      exports: [...PROVIDERS, TypeOrmModule],
    };
  }
}
