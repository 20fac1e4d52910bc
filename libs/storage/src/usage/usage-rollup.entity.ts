import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';
import { USAGE_TEXT_LIMITS } from './usage-record.entity';

/** The counters every rollup grain holds for its period and dimensions. */
export abstract class RollupSums {
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

/** What every hourly rollup grain holds for one UTC hour and its dimensions. */
export abstract class RollupCounters extends RollupSums {
  /** The hour's first instant (UTC). */
  hour: Date;
}

/**
 * One row of `usage_hourly_rollups`: the usage of one UTC hour × provider × model × key × user
 * path, added to as usage records are written (UsageRepository.insertMany, same transaction).
 * The dimensions are NOT NULL with '' for "none": PostgreSQL's unique index treats NULLs as
 * distinct, so an upsert keyed on a NULL would never find its row.
 */
export class UsageRollupEntity extends RollupCounters {
  provider: string;
  model: string;
  keyId: string;
  userPath: string;
}

/**
 * One row of `usage_hourly_model_rollups`: the same counters per hour × provider × model only.
 * Keys and user paths multiply the fine table's rows (often one per request at these grains);
 * totals, series and the per-model breakdown read this one, a few thousand rows per 90 days.
 */
export class UsageModelRollupEntity extends RollupCounters {
  provider: string;
  model: string;
}

/**
 * One row of `usage_hourly_key_rollups`: the same counters per hour × key × user path. The per-key
 * and per-user-path breakdowns read this one: the fine table multiplies each key's rows by the
 * models it used (1.6M rows per 90 days at 5M requests; 30 days of it took 300 ms to sum).
 */
export class UsageKeyRollupEntity extends RollupCounters {
  keyId: string;
  userPath: string;
}

/**
 * One row of `usage_daily_key_rollups`: the counters of `usage_hourly_key_rollups` per UTC day ×
 * key × user path. The per-key and per-user-path breakdowns read the window's whole UTC days from
 * here and only its partial-day edge hours from the hourly table: 30 days are ~144k hourly key
 * rows at 5M usage rows, ~24 times fewer daily ones.
 */
export class UsageDailyKeyRollupEntity extends RollupSums {
  /** The day's first instant (UTC midnight). */
  day: Date;
  keyId: string;
  userPath: string;
}

/** The counters an upsert adds onto a stored rollup row. */
export const ROLLUP_COUNTERS = ['requests', 'errors', 'inputTokens', 'outputTokens', 'cachedTokens', 'reasoningTokens', 'costMicros', 'latencyMsTotal'] as const;

// bigint: a busy hour's token sums outgrow 32 bits. pg returns them as strings; readers convert.
const counter = (name: string) => ({ name, type: 'bigint', default: 0 }) as const;

const COUNTER_COLUMNS = {
  requests: counter('requests'),
  errors: counter('errors'),
  inputTokens: counter('input_tokens'),
  outputTokens: counter('output_tokens'),
  cachedTokens: counter('cached_tokens'),
  reasoningTokens: counter('reasoning_tokens'),
  costMicros: counter('cost_micros'),
  latencyMsTotal: counter('latency_ms_total'),
};

type Dimensions = Record<string, readonly [string, number]>;

/**
 * A rollup table's mapping: the period's instant column (`hour` or `day`) and the dimension
 * columns, all in the primary key `pk_<table>`, then the counters.
 */
function rollupSchema<T>(kind: DatabaseKind, target: abstract new () => T, tableName: string, dimensions: Dimensions, period: 'hour' | 'day' = 'hour'): EntitySchema<T> {
  const pk = `pk_${tableName}`;
  const columns: Record<string, object> = { [period]: { ...instantColumn(kind, period), primary: true, primaryKeyConstraintName: pk } };
  for (const [property, [name, length]] of Object.entries(dimensions)) columns[property] = { name, type: 'varchar', length, primary: true, primaryKeyConstraintName: pk };
  return new EntitySchema<T>({ name: target.name, target, tableName, columns: { ...columns, ...COUNTER_COLUMNS } });
}

const PROVIDER_MODEL = { provider: ['provider', USAGE_TEXT_LIMITS.provider], model: ['model', USAGE_TEXT_LIMITS.model] } as const;
const KEY_USER_PATH = { keyId: ['key_id', USAGE_TEXT_LIMITS.keyId], userPath: ['user_path', USAGE_TEXT_LIMITS.userPath] } as const;

/** The `usage_hourly_rollups` mapping for one database (see instantColumn). */
export function usageRollupSchema(kind: DatabaseKind): EntitySchema<UsageRollupEntity> {
  return rollupSchema(kind, UsageRollupEntity, 'usage_hourly_rollups', { ...PROVIDER_MODEL, ...KEY_USER_PATH });
}

/** The `usage_hourly_model_rollups` mapping for one database. */
export function usageModelRollupSchema(kind: DatabaseKind): EntitySchema<UsageModelRollupEntity> {
  return rollupSchema(kind, UsageModelRollupEntity, 'usage_hourly_model_rollups', PROVIDER_MODEL);
}

/** The `usage_hourly_key_rollups` mapping for one database. */
export function usageKeyRollupSchema(kind: DatabaseKind): EntitySchema<UsageKeyRollupEntity> {
  return rollupSchema(kind, UsageKeyRollupEntity, 'usage_hourly_key_rollups', KEY_USER_PATH);
}

/** The `usage_daily_key_rollups` mapping for one database. */
export function usageDailyKeyRollupSchema(kind: DatabaseKind): EntitySchema<UsageDailyKeyRollupEntity> {
  return rollupSchema(kind, UsageDailyKeyRollupEntity, 'usage_daily_key_rollups', KEY_USER_PATH, 'day');
}
