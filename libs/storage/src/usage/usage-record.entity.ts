import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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
} as const;

/**
 * One row of `usage_records`: what one gateway request consumed. Written only through
 * UsageRepository; the schema is created by the hand-written migration in `migrations/`.
 */
@Entity({ name: 'usage_records' })
@Index('idx_usage_records_created_at', ['createdAt'])
@Index('idx_usage_records_model_created_at', ['model', 'createdAt'])
@Index('idx_usage_records_provider_created_at', ['provider', 'createdAt'])
@Index('idx_usage_records_request_id', ['requestId'])
export class UsageRecordEntity {
  // uuid on PostgreSQL (gen_random_uuid() default), varchar filled in by TypeORM on SQLite.
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_usage_records' })
  id: string;

  @Column({ name: 'request_id', type: 'varchar', length: USAGE_TEXT_LIMITS.requestId })
  requestId: string;

  // `Date` maps to `timestamp` on PostgreSQL and `datetime` on SQLite; no literal type name is
  // valid on both. Values are UTC on both (see UtcPgClient for PostgreSQL).
  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Column({ name: 'provider', type: 'varchar', length: USAGE_TEXT_LIMITS.provider, nullable: true })
  provider: string | null;

  @Column({ name: 'model', type: 'varchar', length: USAGE_TEXT_LIMITS.model, nullable: true })
  model: string | null;

  @Column({ name: 'endpoint', type: 'varchar', length: USAGE_TEXT_LIMITS.endpoint })
  endpoint: string;

  @Column({ name: 'status', type: 'integer' })
  status: number;

  @Column({ name: 'stream', type: 'boolean', default: false })
  stream: boolean;

  @Column({ name: 'input_tokens', type: 'integer', default: 0 })
  inputTokens: number;

  @Column({ name: 'output_tokens', type: 'integer', default: 0 })
  outputTokens: number;

  @Column({ name: 'cached_tokens', type: 'integer', default: 0 })
  cachedTokens: number;

  @Column({ name: 'reasoning_tokens', type: 'integer', default: 0 })
  reasoningTokens: number;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  @Column({ name: 'time_to_first_token_ms', type: 'integer', nullable: true })
  timeToFirstTokenMs: number | null;

  @Column({ name: 'key_id', type: 'varchar', length: USAGE_TEXT_LIMITS.keyId, nullable: true })
  keyId: string | null;

  @Column({ name: 'user_path', type: 'varchar', length: USAGE_TEXT_LIMITS.userPath, nullable: true })
  userPath: string | null;

  @Column({ name: 'error_type', type: 'varchar', length: USAGE_TEXT_LIMITS.errorType, nullable: true })
  errorType: string | null;
}
