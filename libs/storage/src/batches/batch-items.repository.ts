import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, MoreThan, type Repository } from 'typeorm';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { BatchItemEntity } from './batch-item.entity';
import { BatchEntity } from './batch.entity';
import type { BatchItemCounts, BatchItemOutcome, BatchItemResult, ClaimedBatchItem, NativeBatchItemOutcome } from './stored-batch';

const COUNT_KEYS: readonly (keyof BatchItemCounts)[] = ['pending', 'running', 'succeeded', 'failed', 'cancelled', 'expired'];

/**
 * The items of batches (native ones get their outcomes from the provider's results). Workers claim items with a lease (`lease_owner`, `lease_until`):
 * a claim takes pending items that are due and running items whose lease ran out (their worker
 * died), with a conditional UPDATE, so two workers never hold the same item. An outcome is written
 * by the UPDATE that ends the lease, and only while the writer still holds it: an item is recorded
 * (and counted, and billed) once, whoever ran it.
 */
@Injectable()
export class BatchItemsRepository {
  private readonly items: Repository<BatchItemEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.items = dataSource.getRepository(BatchItemEntity);
  }

  /** Claims up to `limit` due items of the batch for `owner`, in line order. */
  async claim(batchId: string, owner: string, limit: number, leaseMs: number): Promise<ClaimedBatchItem[]> {
    const now = new Date();
    const positions = await this.claimable(batchId, now, limit);
    if (positions.length === 0) return [];
    const until = new Date(now.getTime() + leaseMs);
    await this.write(() =>
      this.items
        .createQueryBuilder()
        .update(BatchItemEntity)
        .set({ status: 'running', leaseOwner: owner, leaseUntil: until, attempts: () => 'attempts + 1' })
        .where('batch_id = :batchId AND position IN (:...positions)', { batchId, positions })
        .andWhere("((status = 'pending' AND available_at <= :now) OR (status = 'running' AND lease_until < :now))", { now })
        .execute(),
    );
    const rows = await this.items.find({ where: { batchId, position: In(positions), leaseOwner: owner, status: 'running' }, order: { position: 'ASC' } });
    return rows.map((row) => ({
      position: row.position,
      customId: row.customId,
      provider: row.provider,
      request: JSON.parse(row.request) as Record<string, unknown>,
      attempts: row.attempts - 1,
    }));
  }

  /** Due pending items first (the index serves them in order), then items whose lease ran out. */
  private async claimable(batchId: string, now: Date, limit: number): Promise<number[]> {
    const select = (condition: string, take: number) =>
      this.items
        .createQueryBuilder('item')
        .select('item.position', 'position')
        .where('item.batchId = :batchId', { batchId })
        .andWhere(condition, { now })
        .orderBy('item.position', 'ASC')
        .limit(take)
        .getRawMany<{ position: number }>();
    const pending = await select("item.status = 'pending' AND item.availableAt <= :now", limit);
    const lapsed = pending.length < limit ? await select("item.status = 'running' AND item.leaseUntil < :now", limit - pending.length) : [];
    return [...pending, ...lapsed].map((row) => Number(row.position));
  }

  /** Extends every lease `owner` holds on the batch. */
  async renew(batchId: string, owner: string, leaseMs: number): Promise<void> {
    await this.write(() => this.items.update({ batchId, leaseOwner: owner, status: 'running' }, { leaseUntil: new Date(Date.now() + leaseMs) }));
  }

  /**
   * Records outcomes of items `owner` still holds and adds them to the batch's counters, in one
   * transaction; returns the positions recorded (an item whose lease another worker took is not).
   */
  async complete(batchId: string, owner: string, outcomes: readonly BatchItemOutcome[]): Promise<number[]> {
    if (outcomes.length === 0) return [];
    return this.write(() =>
      this.dataSource.transaction(async (manager) => {
        const recorded: number[] = [];
        let failed = 0;
        for (const outcome of outcomes) {
          if (!(await this.recordOne(manager, batchId, owner, outcome))) continue;
          recorded.push(outcome.position);
          if (outcome.status === 'failed') failed++;
        }
        if (recorded.length > 0) {
          await manager
            .createQueryBuilder()
            .update(BatchEntity)
            .set({ completedCount: () => `completed_count + ${recorded.length - failed}`, failedCount: () => `failed_count + ${failed}`, updatedAt: new Date() })
            .where('id = :batchId', { batchId })
            .execute();
        }
        return recorded;
      }),
    );
  }

  private async recordOne(manager: EntityManager, batchId: string, owner: string, outcome: BatchItemOutcome): Promise<boolean> {
    const result = await manager.update(BatchItemEntity, { batchId, position: outcome.position, leaseOwner: owner, status: 'running' }, outcomeColumns(outcome));
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records outcomes of a native batch's items, read from the provider's results: only items still
   * pending are written, so a finalization run again after a crash records (and bills) each once.
   * Returns the positions recorded by this call.
   */
  async recordNative(batchId: string, outcomes: readonly NativeBatchItemOutcome[]): Promise<number[]> {
    if (outcomes.length === 0) return [];
    return this.write(() =>
      this.dataSource.transaction(async (manager) => {
        const recorded: number[] = [];
        for (const outcome of outcomes) {
          const result = await manager.update(BatchItemEntity, { batchId, position: outcome.position, status: 'pending' }, outcomeColumns(outcome));
          if ((result.affected ?? 0) > 0) recorded.push(outcome.position);
        }
        return recorded;
      }),
    );
  }

  /** Gives an item back to the queue, due at `availableAt` (a retry after a 429 or a transient failure). */
  async release(batchId: string, owner: string, position: number, availableAt: Date): Promise<void> {
    await this.write(() => this.items.update({ batchId, position, leaseOwner: owner, status: 'running' }, { status: 'pending', availableAt, leaseOwner: null, leaseUntil: null }));
  }

  /** Ends every item still in `from` as `to` (cancel: pending → cancelled; expiry: pending and running → expired). */
  async closeOpen(batchId: string, from: readonly ('pending' | 'running')[], to: 'cancelled' | 'expired'): Promise<number> {
    const result = await this.write(() => this.items.update({ batchId, status: In([...from]) }, { status: to, leaseOwner: null, leaseUntil: null }));
    return result.affected ?? 0;
  }

  /** Items by status (one grouped scan of the batch's index range). */
  async counts(batchId: string): Promise<BatchItemCounts> {
    const rows = await this.items
      .createQueryBuilder('item')
      .select('item.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where('item.batchId = :batchId', { batchId })
      .groupBy('item.status')
      .getRawMany<{ status: string; count: string | number }>();
    const counts = Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as Record<keyof BatchItemCounts, number>;
    for (const row of rows) if ((COUNT_KEYS as readonly string[]).includes(row.status)) counts[row.status as keyof BatchItemCounts] = Number(row.count);
    return counts;
  }

  /** When the next item becomes claimable: the earliest due retry or lease end; undefined when none is open. */
  async nextDue(batchId: string): Promise<Date | undefined> {
    const row = await this.items
      .createQueryBuilder('item')
      .select("MIN(CASE WHEN item.status = 'pending' THEN item.availableAt ELSE item.leaseUntil END)", 'due')
      .where('item.batchId = :batchId', { batchId })
      .andWhere("item.status IN ('pending', 'running')")
      .getRawOne<{ due: string | Date | null }>();
    if (!row?.due) return undefined;
    return row.due instanceof Date ? row.due : new Date(/[zZ+]/.test(row.due) ? row.due : `${row.due.replace(' ', 'T')}Z`);
  }

  /** Requests of the batch's items after `afterPosition` in line order, whatever their state (native results are matched to them). */
  async requests(batchId: string, afterPosition: number, limit: number): Promise<Array<{ position: number; customId: string; request: Record<string, unknown> }>> {
    const rows = await this.items.find({
      select: { position: true, customId: true, request: true },
      where: { batchId, position: MoreThan(afterPosition) },
      order: { position: 'ASC' },
      take: limit,
    });
    return rows.map((row) => ({ position: row.position, customId: row.customId, request: JSON.parse(row.request) as Record<string, unknown> }));
  }

  /** Finished items after `afterPosition` in line order (results route, output files). */
  async page(batchId: string, afterPosition: number, limit: number, statuses: readonly string[] = ['succeeded', 'failed']): Promise<BatchItemResult[]> {
    const rows = await this.items
      .createQueryBuilder('item')
      .select(['item.position', 'item.customId', 'item.status', 'item.statusCode', 'item.response', 'item.error', 'item.upstreamRequestId'])
      .where('item.batchId = :batchId AND item.position > :afterPosition', { batchId, afterPosition })
      .andWhere('item.status IN (:...statuses)', { statuses })
      .orderBy('item.position', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map((row) => ({
      position: row.position,
      customId: row.customId,
      status: row.status,
      statusCode: row.statusCode,
      response: row.response === null ? null : (JSON.parse(row.response) as unknown),
      error: row.error === null ? null : (JSON.parse(row.error) as BatchItemResult['error']),
      upstreamRequestId: row.upstreamRequestId,
    }));
  }

  private write<T>(work: () => Promise<T>): Promise<T> {
    return queueSqliteWrite(this.dataSource, work);
  }
}

function outcomeColumns(outcome: BatchItemOutcome | NativeBatchItemOutcome): Partial<BatchItemEntity> {
  return {
    status: outcome.status,
    statusCode: outcome.statusCode,
    response: outcome.response === undefined || outcome.response === null ? null : JSON.stringify(outcome.response),
    error: outcome.error ? JSON.stringify(outcome.error) : null,
    upstreamRequestId: outcome.upstreamRequestId,
    leaseOwner: null,
    leaseUntil: null,
  };
}
