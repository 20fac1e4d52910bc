import { Injectable } from '@nestjs/common';
import type { CostBreakdown } from '@app/core';
import { DataSource, type Repository } from 'typeorm';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { UsageRecordEntity } from '../usage/usage-record.entity';
import { toCostColumns } from '../usage/usage-row';

/** What a cost is recomputed from: the row's target, tokens and time. */
export type RepricedRow = Pick<
  UsageRecordEntity,
  | 'id'
  | 'createdAt'
  | 'provider'
  | 'model'
  | 'inputTokens'
  | 'outputTokens'
  | 'cachedTokens'
  | 'reasoningTokens'
  | 'cacheWriteTokens'
  | 'audioInputTokens'
  | 'audioOutputTokens'
  | 'costSource'
>;

/** Where the previous page ended: rows are walked in (created_at, id) order. */
export interface RepricingCursor {
  readonly createdAt: Date;
  readonly id: string;
}

const COLUMNS: (keyof RepricedRow)[] = [
  'id',
  'createdAt',
  'provider',
  'model',
  'inputTokens',
  'outputTokens',
  'cachedTokens',
  'reasoningTokens',
  'cacheWriteTokens',
  'audioInputTokens',
  'audioOutputTokens',
  'costSource',
];

/** Reads and rewrites the cost columns of `usage_records` for a price recalculation. */
@Injectable()
export class UsageRepricingRepository {
  private readonly repository: Repository<UsageRecordEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(UsageRecordEntity);
  }

  /** One page of rows created in [start, end), after `cursor`, by keyset (no OFFSET scans). */
  page(start: Date, end: Date, limit: number, cursor?: RepricingCursor): Promise<RepricedRow[]> {
    const query = this.repository
      .createQueryBuilder('u')
      .select(COLUMNS.map((column) => `u.${column}`))
      .where('u.createdAt >= :start AND u.createdAt < :end', { start, end })
      .orderBy('u.createdAt', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .take(limit);
    if (cursor) query.andWhere('(u.createdAt > :after OR (u.createdAt = :after AND u.id > :afterId))', { after: cursor.createdAt, afterId: cursor.id });
    return query.getMany();
  }

  /** Writes the new costs of one page in one transaction. */
  async updateCosts(costs: ReadonlyArray<{ readonly id: string; readonly cost: CostBreakdown | null }>): Promise<void> {
    if (costs.length === 0) return;
    await queueSqliteWrite(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        for (const { id, cost } of costs) await manager.update(UsageRecordEntity, { id }, toCostColumns(cost));
      }),
    );
  }
}
