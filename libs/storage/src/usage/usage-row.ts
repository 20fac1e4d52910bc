import { storableNullableText, storableText } from '../database/storable-text';
import type { NewUsageRecord } from './new-usage-record';
import { USAGE_TEXT_LIMITS, type UsageRecordEntity } from './usage-record.entity';

const INT32_MAX = 2_147_483_647;

// One malformed record (a fractional latency, an over-long model name or a NUL sent by a client)
// would make PostgreSQL reject the whole bulk INSERT, so values are coerced into what the columns
// accept. SQLite would accept them, so this also keeps both alike.

function toInt(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(Math.max(Math.round(value), 0), INT32_MAX);
}

function toNullableInt(value: number | null): number | null {
  return value === null || value === undefined ? null : toInt(value);
}

/** Maps a handler's record to the row inserted into `usage_records` (the id is generated). */
export function toUsageRow(rec: NewUsageRecord): Omit<UsageRecordEntity, 'id'> {
  return {
    requestId: storableText(rec.requestId, USAGE_TEXT_LIMITS.requestId),
    createdAt: rec.createdAt,
    provider: storableNullableText(rec.provider, USAGE_TEXT_LIMITS.provider),
    model: storableNullableText(rec.model, USAGE_TEXT_LIMITS.model),
    endpoint: storableText(rec.endpoint, USAGE_TEXT_LIMITS.endpoint),
    status: toInt(rec.status),
    stream: rec.stream === true,
    inputTokens: toInt(rec.inputTokens),
    outputTokens: toInt(rec.outputTokens),
    cachedTokens: toInt(rec.cachedTokens),
    reasoningTokens: toInt(rec.reasoningTokens),
    latencyMs: toInt(rec.latencyMs),
    timeToFirstTokenMs: toNullableInt(rec.timeToFirstTokenMs),
    keyId: storableNullableText(rec.keyId, USAGE_TEXT_LIMITS.keyId),
    userPath: storableNullableText(rec.userPath, USAGE_TEXT_LIMITS.userPath),
    errorType: storableNullableText(rec.errorType, USAGE_TEXT_LIMITS.errorType),
    batchId: storableNullableText(rec.batchId ?? null, USAGE_TEXT_LIMITS.batchId),
    customId: storableNullableText(rec.customId ?? null, USAGE_TEXT_LIMITS.customId),
  };
}
