import { Injectable } from '@nestjs/common';
import { DataSource, type EntityMetadata, type Repository, type SelectQueryBuilder } from 'typeorm';
import { type LogPage, type LogPageQuery, pageLog } from '../database/log-query';
import { UsageRecordEntity } from './usage-record.entity';
import { UsageDailyKeyRollupEntity, UsageKeyRollupEntity, UsageModelRollupEntity, UsageRollupEntity } from './usage-rollup.entity';
import { splitWindow } from './usage-window-split';

const HOUR_MS = 3_600_000;

type RollupEntity = UsageRollupEntity | UsageModelRollupEntity | UsageKeyRollupEntity;

/** A time window of the analytics, in whole UTC hours (the rollups' grain). */
export interface UsageWindow {
  readonly start: Date;
  readonly end: Date;
}

/** Sums over a set of rollup rows. */
export interface UsageTotals {
  readonly requests: number;
  readonly errors: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly reasoningTokens: number;
  readonly costMicros: number;
  readonly latencyMsTotal: number;
}

/** The totals of one hour. */
export interface HourlyTotals extends UsageTotals {
  readonly hour: Date;
}

/** What a breakdown groups by. `model` groups by provider and model. */
export type UsageDimension = 'model' | 'keyId' | 'userPath';

/** The totals of one group of a breakdown; absent dimensions are null. */
export interface GroupTotals extends UsageTotals {
  readonly provider: string | null;
  readonly model: string | null;
  readonly keyId: string | null;
  readonly userPath: string | null;
}

const SUMS = {
  requests: 'requests',
  errors: 'errors',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  cachedTokens: 'cached_tokens',
  reasoningTokens: 'reasoning_tokens',
  costMicros: 'cost_micros',
  latencyMsTotal: 'latency_ms_total',
} as const;

const GROUP_COLUMNS: Record<UsageDimension, readonly (keyof typeof DIMENSION_COLUMN)[]> = {
  model: ['provider', 'model'],
  keyId: ['keyId'],
  userPath: ['userPath'],
};
const DIMENSION_COLUMN = { provider: 'provider', model: 'model', keyId: 'key_id', userPath: 'user_path' } as const;

/**
 * The read side of usage analytics: totals, series and the per-model breakdown from
 * `usage_hourly_model_rollups` (90 days are at most 2,160 hours × the models, whatever the
 * traffic), the per-key and per-user-path breakdowns from `usage_daily_key_rollups` for the
 * window's whole UTC days plus `usage_hourly_key_rollups` for its edge hours, and the raw log
 * from `usage_records` by keyset.
 */
@Injectable()
export class UsageAnalyticsRepository {
  private readonly rollups: Repository<UsageRollupEntity>;
  private readonly modelRollups: Repository<UsageModelRollupEntity>;
  private readonly keyRollups: Repository<UsageKeyRollupEntity>;
  private readonly dailyKeyRollups: Repository<UsageDailyKeyRollupEntity>;
  private readonly records: Repository<UsageRecordEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rollups = dataSource.getRepository(UsageRollupEntity);
    this.modelRollups = dataSource.getRepository(UsageModelRollupEntity);
    this.keyRollups = dataSource.getRepository(UsageKeyRollupEntity);
    this.dailyKeyRollups = dataSource.getRepository(UsageDailyKeyRollupEntity);
    this.records = dataSource.getRepository(UsageRecordEntity);
  }

  async totals(window: UsageWindow): Promise<UsageTotals> {
    const row = await this.summed(window, this.modelRollups).getRawOne<Record<string, unknown>>();
    return toTotals(row ?? {});
  }

  /** Totals per hour that had traffic, oldest first (callers fold them into local days). */
  async hourly(window: UsageWindow): Promise<HourlyTotals[]> {
    const rows = await this.summed(window, this.modelRollups).addSelect('r.hour', 'hour').groupBy('r.hour').orderBy('r.hour', 'ASC').getRawMany<Record<string, unknown>>();
    return rows.map((row) => ({ hour: this.hourOf(row.hour), ...toTotals(row) }));
  }

  /** The busiest `limit` groups of the window by requests (ties by the group, ascending). */
  async breakdown(window: UsageWindow, dimension: UsageDimension, limit: number): Promise<GroupTotals[]> {
    const columns = GROUP_COLUMNS[dimension];
    const rows = dimension === 'model' ? await this.modelBreakdown(window, limit) : await this.keyBreakdown(window, dimension, limit);
    return rows.map((row) => {
      const value = (column: keyof typeof DIMENSION_COLUMN) => (columns.includes(column) && row[column] !== '' ? String(row[column]) : null);
      return { provider: value('provider'), model: value('model'), keyId: value('keyId'), userPath: value('userPath'), ...toTotals(row) };
    });
  }

  private modelBreakdown(window: UsageWindow, limit: number): Promise<Array<Record<string, unknown>>> {
    const query = this.summed(window, this.modelRollups);
    for (const column of GROUP_COLUMNS.model) query.addSelect(`r.${DIMENSION_COLUMN[column]}`, column).addGroupBy(`r.${DIMENSION_COLUMN[column]}`);
    return query.orderBy('requests', 'DESC').addOrderBy('r.provider', 'ASC').addOrderBy('r.model', 'ASC').limit(limit).getRawMany<Record<string, unknown>>();
  }

  /**
   * The per-key or per-user-path breakdown in one statement: the window's whole UTC days from the
   * daily key rollups and its edge hours from the hourly ones (see splitWindow): one row per day
   * and key × user path in place of up to 24 hourly ones. Raw SQL, as a UNION ALL subquery is
   * beyond the QueryBuilder; the bounds are converted by the driver as `summed` converts them (UTC
   * text on SQLite, compared as text).
   */
  private keyBreakdown(window: UsageWindow, dimension: 'keyId' | 'userPath', limit: number): Promise<Array<Record<string, unknown>>> {
    const driver = this.dataSource.driver;
    const group = DIMENSION_COLUMN[dimension];
    const parameters: unknown[] = [];
    const bind = (value: unknown) => {
      parameters.push(value);
      return driver.options.type === 'postgres' ? `$${parameters.length}` : '?';
    };
    const counters = Object.values(SUMS).join(', ');
    const branch = (table: { readonly metadata: EntityMetadata }, period: 'hour' | 'day', ranges: ReadonlyArray<{ start: Date; end: Date }>) => {
      const column = table.metadata.findColumnWithPropertyName(period)!;
      const instant = (value: Date) => bind(driver.preparePersistentValue(value, column));
      const where = ranges.map((range) => `(${period} >= ${instant(range.start)} AND ${period} < ${instant(range.end)})`).join(' OR ');
      // tablePath carries the DataSource's schema when one is set.
      const path = table.metadata.tablePath.split('.').map((name) => driver.escape(name));
      return `SELECT ${group}, ${counters} FROM ${path.join('.')} WHERE ${where}`;
    };
    const { days, hours } = splitWindow(window);
    const branches = [...(days ? [branch(this.dailyKeyRollups, 'day', [days])] : []), ...(hours.length > 0 ? [branch(this.keyRollups, 'hour', hours)] : [])];
    if (branches.length === 0) return Promise.resolve([]);
    const sums = Object.entries(SUMS).map(([name, column]) => `COALESCE(SUM(g.${column}), 0) AS ${driver.escape(name)}`);
    return this.dataSource.query(
      `SELECT g.${group} AS ${driver.escape(dimension)}, ${sums.join(', ')} FROM (${branches.join(' UNION ALL ')}) g
        GROUP BY g.${group} ORDER BY SUM(g.requests) DESC, g.${group} ASC LIMIT ${bind(limit)}`,
      parameters,
    );
  }

  /** A page of raw usage rows, newest first (see pageLog). */
  log(query: LogPageQuery): Promise<LogPage<UsageRecordEntity>> {
    return pageLog(this.dataSource, this.records.createQueryBuilder('u'), query);
  }

  /** Sums of the rollup rows of `table` in the window (whole hours). */
  private summed(window: UsageWindow, table: Repository<RollupEntity>): SelectQueryBuilder<RollupEntity> {
    const column = table.metadata.findColumnWithPropertyName('hour')!;
    const instant = (value: Date): unknown => this.dataSource.driver.preparePersistentValue(value, column);
    const query = table
      .createQueryBuilder('r')
      .select([])
      .where('r.hour >= :start AND r.hour < :end', { start: instant(floorHour(window.start)), end: instant(window.end) });
    for (const [alias, name] of Object.entries(SUMS)) query.addSelect(`COALESCE(SUM(r.${name}), 0)`, alias);
    return query;
  }

  /** A raw `hour` (a Date from pg, UTC text from SQLite) as the instant it names. */
  private hourOf(value: unknown): Date {
    if (value instanceof Date) return value;
    const column = this.rollups.metadata.findColumnWithPropertyName('hour')!;
    return this.dataSource.driver.prepareHydratedValue(value, column) as Date;
  }
}

function floorHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

function toTotals(row: Record<string, unknown>): UsageTotals {
  const number = (key: keyof typeof SUMS) => Number(row[key] ?? 0);
  return {
    requests: number('requests'),
    errors: number('errors'),
    inputTokens: number('inputTokens'),
    outputTokens: number('outputTokens'),
    cachedTokens: number('cachedTokens'),
    reasoningTokens: number('reasoningTokens'),
    costMicros: number('costMicros'),
    latencyMsTotal: number('latencyMsTotal'),
  };
}
