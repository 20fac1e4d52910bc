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
export { ResponsesRepository } from './responses/responses.repository';
export type { InputItemsPage, InputItemsQuery, StoredResponse, StoredResponsePatch } from './responses/stored-response';
export { StoredResponseEntity } from './responses/stored-response.entity';
export { ResponseInputItemEntity } from './responses/response-input-item.entity';
export { ConversationsRepository } from './conversations/conversations.repository';
export { ConversationEntity } from './conversations/conversation.entity';
export { ConversationItemEntity } from './conversations/conversation-item.entity';
export { MAX_ITEMS_PER_CALL, normalizeConversationItems } from './conversations/conversation-items';
export { queueSqliteWrite } from './database/sqlite-write-queue';
export type {
  ConversationItemPage,
  ConversationItemPageQuery,
  StoredConversation,
  StoredConversationItem,
} from './conversations/stored-conversation';
export { asStorageUnavailable, isStorageUnavailable, StorageUnavailableError } from './database/storage-unavailable';
