import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';
import { USAGE_TEXT_LIMITS } from './usage-record.entity';

/**
 * One row of `usage_hourly_rollups`: the usage of one UTC hour × provider × model × key × user
 * path, added to as usage records are written (UsageRepository.insertMany, same transaction).
 * The dimensions are NOT NULL with '' for "none": PostgreSQL's unique index treats NULLs as
 * distinct, so an upsert keyed on a NULL would never find its row.
 */
export class UsageRollupEntity {
  /** The hour's first instant (UTC). */
  hour: Date;
  provider: string;
  model: string;
  keyId: string;
  userPath: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** Integer micro-dollars of the priced requests. */
  costMicros: number;
  /** Sum of the requests' latencies, for averages. */
  latencyMsTotal: number;
}

/** The counters an upsert adds onto a stored rollup row. */
export const ROLLUP_COUNTERS = ['requests', 'errors', 'inputTokens', 'outputTokens', 'cachedTokens', 'reasoningTokens', 'costMicros', 'latencyMsTotal'] as const;

const dimension = (name: string, length: number) => ({ name, type: 'varchar', length, primary: true, primaryKeyConstraintName: 'pk_usage_hourly_rollups' }) as const;
// bigint: a busy hour's token sums outgrow 32 bits. pg returns them as strings; readers convert.
const counter = (name: string) => ({ name, type: 'bigint', default: 0 }) as const;

/** The `usage_hourly_rollups` mapping for one database (see instantColumn). */
export function usageRollupSchema(kind: DatabaseKind): EntitySchema<UsageRollupEntity> {
  return new EntitySchema<UsageRollupEntity>({
    name: UsageRollupEntity.name,
    target: UsageRollupEntity,
    tableName: 'usage_hourly_rollups',
    columns: {
      hour: { ...instantColumn(kind, 'hour'), primary: true, primaryKeyConstraintName: 'pk_usage_hourly_rollups' },
      provider: dimension('provider', USAGE_TEXT_LIMITS.provider),
      model: dimension('model', USAGE_TEXT_LIMITS.model),
      keyId: dimension('key_id', USAGE_TEXT_LIMITS.keyId),
      userPath: dimension('user_path', USAGE_TEXT_LIMITS.userPath),
      requests: counter('requests'),
      errors: counter('errors'),
      inputTokens: counter('input_tokens'),
      outputTokens: counter('output_tokens'),
      cachedTokens: counter('cached_tokens'),
      reasoningTokens: counter('reasoning_tokens'),
      costMicros: counter('cost_micros'),
      latencyMsTotal: counter('latency_ms_total'),
    },
  });
}
