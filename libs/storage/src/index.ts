export { StorageModule } from './storage.module';
export type { NewUsageRecord } from './usage/new-usage-record';
export { type CacheModelOverview, UsageRepository } from './usage/usage.repository';
export { UsageWriter } from './usage/usage-writer';
export { AUDIT_RETENTION_SCHEDULE_ID, USAGE_RETENTION_SCHEDULE_ID, UsageRetentionProcessor } from './usage/usage-retention.processor';
export { ResponsesRepository } from './responses/responses.repository';
export type { InputItemsPage, InputItemsQuery, StoredResponse, StoredResponsePatch } from './responses/stored-response';
export { StoredResponseEntity } from './responses/stored-response.entity';
export { ConversationsRepository } from './conversations/conversations.repository';
export { ConversationEntity } from './conversations/conversation.entity';
export { ConversationItemEntity } from './conversations/conversation-item.entity';
export { MAX_ITEMS_PER_CALL } from './conversations/conversation-items';
export type { StoredConversation, StoredConversationItem } from './conversations/stored-conversation';
export { asStorageUnavailable, isStorageUnavailable, StorageUnavailableError } from './database/storage-unavailable';
export { BudgetsRepository } from './budgets/budgets.repository';
export type { BudgetSelector } from './budgets/budgets.repository';
export { BudgetEntity } from './budgets/budget.entity';
export { AuthKeysRepository, type AuthKeyPage } from './auth-keys/auth-keys.repository';
export type { AuthKeyPatch, AuthKeyScope, StoredAuthKey } from './auth-keys/stored-auth-key';
export { AuditRepository } from './audit/audit.repository';
export { AuditWriter } from './audit/audit-writer';
export type { NewAuditEntry } from './audit/new-audit-entry';
export type { AuditEntryEntity } from './audit/audit-entry.entity';
export { UsageAnalyticsRepository } from './usage/usage-analytics.repository';
export type { GroupTotals, HourlyTotals, UsageDimension, UsageTotals, UsageWindow } from './usage/usage-analytics.repository';
export type { UsageRecordEntity } from './usage/usage-record.entity';
export { InvalidCursorError } from './database/log-query';
export type { LogPage, LogPageQuery } from './database/log-query';
export { FilesRepository } from './files/files.repository';
export { ModelPriceOverrideEntity, OVERRIDE_TEXT_LIMITS } from './pricing/model-price-override.entity';
export { ModelPriceOverridesRepository } from './pricing/model-price-overrides.repository';
export { type RepricedRow, type RepricingCursor, UsageRepricingRepository } from './pricing/usage-repricing.repository';
export type { StoredFile } from './files/stored-file';
export { BatchesRepository } from './batches/batches.repository';
export { BatchItemsRepository } from './batches/batch-items.repository';
export type {
  BatchBudgetCharge,
  BatchItemOutcome,
  BatchItemResult,
  BatchOwnerScope,
  ClaimedBatchItem,
  NativeBatchItemOutcome,
  NewBatchItem,
  StoredBatch,
} from './batches/stored-batch';
