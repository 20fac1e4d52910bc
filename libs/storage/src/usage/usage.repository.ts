import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { BulkInserter } from '../database/bulk-inserter';
import { deleteCreatedBefore } from '../database/delete-created-before';
import type { NewUsageRecord } from './new-usage-record';
import { UsageRecordEntity } from './usage-record.entity';
import { byKey, byModel, rollUp } from './usage-rollup';
import { ROLLUP_COUNTERS, UsageKeyRollupEntity, UsageModelRollupEntity, UsageRollupEntity } from './usage-rollup.entity';
import { toUsageRow } from './usage-row';

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
   * Inserts the records and adds them onto their hourly rollups (all three grains), as one batch that lands whole or
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

  /** Number of stored usage records. */
  count(): Promise<number> {
    return this.repository.count();
  }
}
