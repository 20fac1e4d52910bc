import { storableNullableText, storableText } from '../database/storable-text';
import type { CostBreakdown } from '@app/core';
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

function toMicros(value: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(Math.round(value), 0), Number.MAX_SAFE_INTEGER) : 0;
}

type CostColumns = Pick<
  UsageRecordEntity,
  | 'costInputMicros'
  | 'costCachedInputMicros'
  | 'costCacheWriteMicros'
  | 'costOutputMicros'
  | 'costReasoningMicros'
  | 'costAudioInputMicros'
  | 'costAudioOutputMicros'
  | 'costMicros'
  | 'costSource'
>;

/** A cost breakdown as its columns; every column null when the cost is unknown. */
export function toCostColumns(cost: CostBreakdown | null | undefined): CostColumns {
  return {
    costInputMicros: cost ? toMicros(cost.input) : null,
    costCachedInputMicros: cost ? toMicros(cost.cachedInput) : null,
    costCacheWriteMicros: cost ? toMicros(cost.cacheWrite) : null,
    costOutputMicros: cost ? toMicros(cost.output) : null,
    costReasoningMicros: cost ? toMicros(cost.reasoning) : null,
    costAudioInputMicros: cost ? toMicros(cost.audioInput) : null,
    costAudioOutputMicros: cost ? toMicros(cost.audioOutput) : null,
    costMicros: cost ? toMicros(cost.total) : null,
    costSource: cost?.source ?? null,
  };
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
    audioDurationMs: toNullableInt(rec.audioDurationMs ?? null),
    inputCharacters: toNullableInt(rec.inputCharacters ?? null),
    latencyMs: toInt(rec.latencyMs),
    timeToFirstTokenMs: toNullableInt(rec.timeToFirstTokenMs),
    keyId: storableNullableText(rec.keyId, USAGE_TEXT_LIMITS.keyId),
    userPath: storableNullableText(rec.userPath, USAGE_TEXT_LIMITS.userPath),
    errorType: storableNullableText(rec.errorType, USAGE_TEXT_LIMITS.errorType),
    cacheWriteTokens: toInt(rec.cacheWriteTokens ?? 0),
    audioInputTokens: toInt(rec.audioInputTokens ?? 0),
    audioOutputTokens: toInt(rec.audioOutputTokens ?? 0),
    ...toCostColumns(rec.cost),
    batchId: storableNullableText(rec.batchId ?? null, USAGE_TEXT_LIMITS.batchId),
    customId: storableNullableText(rec.customId ?? null, USAGE_TEXT_LIMITS.customId),
    cacheHit: rec.cacheHit === true,
    savedCostMicros: rec.savedCostMicros === null || rec.savedCostMicros === undefined ? null : toMicros(rec.savedCostMicros),
  };
}
