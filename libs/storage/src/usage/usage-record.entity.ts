import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

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
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  keyId: string | null;
  userPath: string | null;
  errorType: string | null;
  /** Set on the rows of batch items: the batch and the item's `custom_id`. */
  batchId: string | null;
  customId: string | null;
}

const text = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length, nullable }) as const;
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
      latencyMs: int('latency_ms'),
      timeToFirstTokenMs: int('time_to_first_token_ms', { nullable: true }),
      keyId: text('key_id', USAGE_TEXT_LIMITS.keyId, true),
      userPath: text('user_path', USAGE_TEXT_LIMITS.userPath, true),
      errorType: text('error_type', USAGE_TEXT_LIMITS.errorType, true),
      batchId: text('batch_id', USAGE_TEXT_LIMITS.batchId, true),
      customId: text('custom_id', USAGE_TEXT_LIMITS.customId, true),
    },
    indices: [
      { name: 'idx_usage_records_created_at', columns: ['createdAt'] },
      { name: 'idx_usage_records_model_created_at', columns: ['model', 'createdAt'] },
      { name: 'idx_usage_records_provider_created_at', columns: ['provider', 'createdAt'] },
      { name: 'idx_usage_records_request_id', columns: ['requestId'] },
      { name: 'idx_usage_records_batch_id', columns: ['batchId'] },
    ],
  });
}
