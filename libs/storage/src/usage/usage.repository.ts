import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { BulkInserter } from '../database/bulk-inserter';
import { deleteCreatedBefore } from '../database/delete-created-before';
import type { NewUsageRecord } from './new-usage-record';
import { UsageRecordEntity } from './usage-record.entity';
import { byDayKey, byKey, byModel, rollUp } from './usage-rollup';
import { ROLLUP_COUNTERS, UsageDailyKeyRollupEntity, UsageKeyRollupEntity, UsageModelRollupEntity, UsageRollupEntity } from './usage-rollup.entity';
import { toUsageRow } from './usage-row';

/** One model's line of the cache overview. */
export interface CacheModelOverview {
  readonly provider: string | null;
  readonly model: string;
  readonly requests: number;
  readonly hits: number;
  readonly savedTokens: number;
  readonly savedCostMicros: number;
}

/** The only place usage records meet TypeORM. */
@Injectable()
export class UsageRepository {
  private readonly repository: Repository<UsageRecordEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly inserter: BulkInserter,
  ) {
    this.repository = dataSource.getRepository(UsageRecordEntity);
  }

  /**
   * Inserts the records and adds them onto their rollups (the three hourly grains and the daily key grain), as one batch that lands whole or
   * not at all (one transaction): the rollups never count a record the table lacks, or miss one
   * it has. The batch is aggregated in memory first, so each rollup row gets one upsert.
   */
  async insertMany(records: readonly NewUsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(toUsageRow);
    const groups = rollUp(rows, records);
    await this.inserter.write([
      { target: UsageRecordEntity, rows },
      { target: UsageRollupEntity, rows: groups, adding: ROLLUP_COUNTERS },
      { target: UsageModelRollupEntity, rows: byModel(groups), adding: ROLLUP_COUNTERS },
      { target: UsageKeyRollupEntity, rows: byKey(groups), adding: ROLLUP_COUNTERS },
      { target: UsageDailyKeyRollupEntity, rows: byDayKey(groups), adding: ROLLUP_COUNTERS },
    ]);
  }

  /**
   * Deletes records created before `cutoff`, a few thousand rows per statement, and returns how
   * many were deleted. Safe to repeat.
   */
  deleteOlderThan(cutoff: Date): Promise<number> {
    return deleteCreatedBefore(this.dataSource, this.repository, cutoff);
  }

  /** The record of one gateway request, or null when none was written (yet). */
  findByRequestId(requestId: string): Promise<UsageRecordEntity | null> {
    return this.repository.findOne({ where: { requestId }, order: { createdAt: 'ASC' } });
  }

  /**
   * The response cache's effect per provider and model over a window, from the usage rows (only
   * models with usage in the window; a hit row holds the tokens the provider would have used).
   * Reads `created_at` through its index; a window of days on a busy gateway is a range scan.
   */
  async cacheOverview(start: Date, end: Date): Promise<CacheModelOverview[]> {
    const rows = await this.repository
      .createQueryBuilder('u')
      .select('u.provider', 'provider')
      .addSelect('u.model', 'model')
      .addSelect('COUNT(*)', 'requests')
      .addSelect('SUM(CASE WHEN u.cacheHit = :hit THEN 1 ELSE 0 END)', 'hits')
      .addSelect('SUM(CASE WHEN u.cacheHit = :hit THEN u.inputTokens + u.outputTokens ELSE 0 END)', 'savedTokens')
      .addSelect('SUM(CASE WHEN u.cacheHit = :hit THEN u.savedCostMicros ELSE 0 END)', 'savedCostMicros')
      .where('u.createdAt >= :start AND u.createdAt < :end', { start, end })
      .andWhere('u.model IS NOT NULL')
      .setParameter('hit', true)
      .groupBy('u.provider')
      .addGroupBy('u.model')
      .getRawMany<Record<string, string | number | null>>();
    return rows.map((row) => ({
      provider: row.provider === null ? null : String(row.provider),
      model: String(row.model),
      requests: Number(row.requests ?? 0),
      hits: Number(row.hits ?? 0),
      savedTokens: Number(row.savedTokens ?? 0),
      savedCostMicros: Number(row.savedCostMicros ?? 0),
    }));
  }

  /** Number of stored usage records. */
  count(): Promise<number> {
    return this.repository.count();
  }
}
