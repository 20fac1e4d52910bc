import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '@app/config';
import { buildDataSourceOptions } from './database/data-source-options';
import { UsageRetentionProcessor } from './usage/usage-retention.processor';
import { UsageWriter } from './usage/usage-writer';
import { UsageRepository } from './usage/usage.repository';
import { ConversationsRepository } from './conversations/conversations.repository';
import { ResponsesRepository } from './responses/responses.repository';
import { AuthKeysRepository } from './auth-keys/auth-keys.repository';
import { BudgetsRepository } from './budgets/budgets.repository';
import { AuditRepository } from './audit/audit.repository';
import { AuditWriter } from './audit/audit-writer';
import { BulkInserter } from './database/bulk-inserter';
import { UsageAnalyticsRepository } from './usage/usage-analytics.repository';
import { BatchesRepository } from './batches/batches.repository';
import { BatchItemsRepository } from './batches/batch-items.repository';
import { FilesRepository } from './files/files.repository';
import { ModelPriceOverridesRepository } from './pricing/model-price-overrides.repository';
import { UsageRepricingRepository } from './pricing/usage-repricing.repository';

const PROVIDERS = [
  BulkInserter,
  UsageRepository,
  UsageAnalyticsRepository,
  ConversationsRepository,
  UsageWriter,
  UsageRetentionProcessor,
  ResponsesRepository,
  AuditRepository,
  AuditWriter,
  AuthKeysRepository,
  BudgetsRepository,
  FilesRepository,
  ModelPriceOverridesRepository,
  UsageRepricingRepository,
  BatchesRepository,
  BatchItemsRepository,
];

/**
 * The relational store: PostgreSQL when DATABASE_URL is set, otherwise SQLite in DATA_DIR.
 * Runs pending migrations at boot unless RUN_MIGRATIONS=false. Exports the usage repository,
 * writer and retention processor, the usage analytics and audit repositories and the audit writer, and TypeORM's DataSource (for readiness checks). Needs
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
