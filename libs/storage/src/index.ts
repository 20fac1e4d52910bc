export { StorageModule } from './storage.module';
export type { NewUsageRecord } from './usage/new-usage-record';
export { UsageRepository } from './usage/usage.repository';
export { UsageWriter } from './usage/usage-writer';
export { USAGE_RETENTION_SCHEDULE_ID, UsageRetentionProcessor } from './usage/usage-retention.processor';
export { ResponsesRepository } from './responses/responses.repository';
export type { InputItemsPage, InputItemsQuery, StoredResponse, StoredResponsePatch } from './responses/stored-response';
export { StoredResponseEntity } from './responses/stored-response.entity';
export { ConversationsRepository } from './conversations/conversations.repository';
export { ConversationEntity } from './conversations/conversation.entity';
export { ConversationItemEntity } from './conversations/conversation-item.entity';
export { MAX_ITEMS_PER_CALL } from './conversations/conversation-items';
export type { StoredConversation, StoredConversationItem } from './conversations/stored-conversation';
export { asStorageUnavailable, isStorageUnavailable, StorageUnavailableError } from './database/storage-unavailable';
export { FilesRepository } from './files/files.repository';
export type { StoredFile, StoredFilesQuery } from './files/stored-file';
export { FILE_TEXT_LIMITS } from './files/stored-file.entity';
export { BatchesRepository, FINISHED_BATCH_STATUSES } from './batches/batches.repository';
export { BatchItemsRepository } from './batches/batch-items.repository';
export type {
  BatchItemCounts,
  BatchItemOutcome,
  BatchItemResult,
  BatchOwnerScope,
  BatchPage,
  BatchPatch,
  ClaimedBatchItem,
  NewBatchItem,
  StoredBatch,
} from './batches/stored-batch';
