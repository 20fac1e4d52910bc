import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';
import { BIGINT_NUMBER } from '../pricing/model-price-override.entity';

/**
 * Text column lengths, shared by the entity and the row mapper (which truncates to them). The
 * migration spells them out itself: an applied migration must not change when this does.
 */
export const USAGE_TEXT_LIMITS = {
  requestId: 128,
  provider: 64,
  model: 255,
  endpoint: 128,
  keyId: 64,
  userPath: 255,
  errorType: 64,
  costSource: 32,
  batchId: 64,
  customId: 512,
} as const;

/**
 * One row of `usage_records`: what one gateway request consumed. Written only through
 * UsageRepository; the schema is created by the hand-written migrations in `migrations/`.
 */
export class UsageRecordEntity {
  id: string;
  requestId: string;
  /** The instant the request arrived (timestamptz on PostgreSQL). */
  createdAt: Date;
  provider: string | null;
  model: string | null;
  endpoint: string;
  status: number;
  stream: boolean;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** Seconds of audio billed (whisper-style usage), in milliseconds; null when none was reported. */
  audioDurationMs: number | null;
  /** Characters of speech input; null outside /v1/audio/speech. */
  inputCharacters: number | null;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  keyId: string | null;
  userPath: string | null;
  errorType: string | null;
  /** Cache writes and audio tokens, parts of inputTokens / outputTokens. */
  cacheWriteTokens: number;
  audioInputTokens: number;
  audioOutputTokens: number;
  /** The cost in integer micro-dollars, by kind and in total; all null when no price was known. */
  costInputMicros: number | null;
  costCachedInputMicros: number | null;
  costCacheWriteMicros: number | null;
  costOutputMicros: number | null;
  costReasoningMicros: number | null;
  costAudioInputMicros: number | null;
  costAudioOutputMicros: number | null;
  costMicros: number | null;
  /** `price_table`, `override` or `provider_reported`. */
  costSource: string | null;
  /** Set on the rows of batch items: the batch and the item's `custom_id`. */
  batchId: string | null;
  customId: string | null;
  /** Answered from the response cache: no provider cost was paid. */
  cacheHit: boolean;
  /** On a cache hit, what the upstream call would have cost (micro-dollars); null otherwise or when unpriced. */
  savedCostMicros: number | null;
}

const text = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length, nullable }) as const;
const micros = (name: string) => ({ name, type: 'bigint', nullable: true, transformer: BIGINT_NUMBER }) as const;
const int = (name: string, extra: { default?: number; nullable?: boolean } = {}) => ({ name, type: 'integer', ...extra }) as const;

/** The `usage_records` mapping for one database (see instantColumn). */
export function usageRecordSchema(kind: DatabaseKind): EntitySchema<UsageRecordEntity> {
  return new EntitySchema<UsageRecordEntity>({
    name: UsageRecordEntity.name,
    target: UsageRecordEntity,
    tableName: 'usage_records',
    columns: {
      // uuid on PostgreSQL (gen_random_uuid() default), varchar filled in by TypeORM on SQLite.
      id: { type: 'uuid', primary: true, generated: 'uuid', primaryKeyConstraintName: 'pk_usage_records' },
      requestId: text('request_id', USAGE_TEXT_LIMITS.requestId),
      createdAt: instantColumn(kind, 'created_at'),
      provider: text('provider', USAGE_TEXT_LIMITS.provider, true),
      model: text('model', USAGE_TEXT_LIMITS.model, true),
      endpoint: text('endpoint', USAGE_TEXT_LIMITS.endpoint),
      status: int('status'),
      stream: { name: 'stream', type: 'boolean', default: false },
      inputTokens: int('input_tokens', { default: 0 }),
      outputTokens: int('output_tokens', { default: 0 }),
      cachedTokens: int('cached_tokens', { default: 0 }),
      reasoningTokens: int('reasoning_tokens', { default: 0 }),
      audioDurationMs: int('audio_duration_ms', { nullable: true }),
      inputCharacters: int('input_characters', { nullable: true }),
      latencyMs: int('latency_ms'),
      timeToFirstTokenMs: int('time_to_first_token_ms', { nullable: true }),
      keyId: text('key_id', USAGE_TEXT_LIMITS.keyId, true),
      userPath: text('user_path', USAGE_TEXT_LIMITS.userPath, true),
      errorType: text('error_type', USAGE_TEXT_LIMITS.errorType, true),
      cacheWriteTokens: int('cache_write_tokens', { default: 0 }),
      audioInputTokens: int('audio_input_tokens', { default: 0 }),
      audioOutputTokens: int('audio_output_tokens', { default: 0 }),
      costInputMicros: micros('cost_input_micros'),
      costCachedInputMicros: micros('cost_cached_input_micros'),
      costCacheWriteMicros: micros('cost_cache_write_micros'),
      costOutputMicros: micros('cost_output_micros'),
      costReasoningMicros: micros('cost_reasoning_micros'),
      costAudioInputMicros: micros('cost_audio_input_micros'),
      costAudioOutputMicros: micros('cost_audio_output_micros'),
      costMicros: micros('cost_micros'),
      costSource: text('cost_source', USAGE_TEXT_LIMITS.costSource, true),
      batchId: text('batch_id', USAGE_TEXT_LIMITS.batchId, true),
      customId: text('custom_id', USAGE_TEXT_LIMITS.customId, true),
      cacheHit: { name: 'cache_hit', type: 'boolean', default: false },
      savedCostMicros: micros('saved_cost_micros'),
    },
    indices: [
      { name: 'idx_usage_records_created_at', columns: ['createdAt'] },
      { name: 'idx_usage_records_model_created_at', columns: ['model', 'createdAt'] },
      { name: 'idx_usage_records_provider_created_at', columns: ['provider', 'createdAt'] },
      { name: 'idx_usage_records_request_id', columns: ['requestId'] },
      { name: 'idx_usage_records_created_at_id', columns: ['createdAt', 'id'] },
      { name: 'idx_usage_records_key_id_created_at', columns: ['keyId', 'createdAt'] },
      { name: 'idx_usage_records_user_path_created_at', columns: ['userPath', 'createdAt'] },
      { name: 'idx_usage_records_status_created_at', columns: ['status', 'createdAt'] },
      { name: 'idx_usage_records_batch_id', columns: ['batchId'] },
      // Partial, over failed rows only: the log's error pages per dimension (migration 1797000000000).
      { name: 'idx_usage_records_errors_model_created_at', columns: ['model', 'createdAt'], where: 'status >= 400' },
      { name: 'idx_usage_records_errors_provider_created_at', columns: ['provider', 'createdAt'], where: 'status >= 400' },
      { name: 'idx_usage_records_errors_key_id_created_at', columns: ['keyId', 'createdAt'], where: 'status >= 400' },
      { name: 'idx_usage_records_errors_user_path_created_at', columns: ['userPath', 'createdAt'], where: 'status >= 400' },
    ],
  });
}
