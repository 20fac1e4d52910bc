export { StorageModule } from './storage.module';
export { buildDataSourceOptions } from './database/data-source-options';
export type { NewUsageRecord } from './usage/new-usage-record';
export { UsageRecordEntity } from './usage/usage-record.entity';
export { UsageRepository } from './usage/usage.repository';
export { UsageWriter } from './usage/usage-writer';
export {
  USAGE_RETENTION_SCHEDULE_ID,
  UsageRetentionProcessor,
  type UsageRetentionResult,
} from './usage/usage-retention.processor';
