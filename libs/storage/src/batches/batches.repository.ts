import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, LessThan, Not, type FindOptionsWhere, type Repository } from 'typeorm';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { storableNullableText } from '../database/storable-text';
import { BatchItemEntity } from './batch-item.entity';
import { BATCH_TEXT_LIMITS, BatchEntity } from './batch.entity';
import type { BatchBudgetCharge, BatchOwnerScope, BatchPage, BatchPatch, NewBatchItem, StoredBatch } from './stored-batch';

// Rows per INSERT of items: 14 columns each stays far below SQLite's bind-parameter limit.
const ITEM_CHUNK = 500;
/** Statuses after which a batch no longer changes. */
const FINISHED_BATCH_STATUSES = ['completed', 'failed', 'expired', 'cancelled'];

/** The only place batches meet TypeORM (their items: BatchItemsRepository). */
@Injectable()
export class BatchesRepository {
  private readonly batches: Repository<BatchEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.batches = dataSource.getRepository(BatchEntity);
  }

  /** Stores a batch with its items (emulated batches; none for native or failed ones), in one transaction. */
  async create(batch: StoredBatch, items: readonly NewBatchItem[]): Promise<void> {
    await queueSqliteWrite(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        await manager.insert(BatchEntity, toEntity(batch));
        const now = new Date();
        for (let start = 0; start < items.length; start += ITEM_CHUNK) {
          const rows = items.slice(start, start + ITEM_CHUNK).map((item) => ({
            batchId: batch.id,
            position: item.position,
            customId: item.customId,
            status: 'pending',
            attempts: 0,
            availableAt: now,
            provider: item.provider,
            request: JSON.stringify(item.request),
          }));
          await manager.insert(BatchItemEntity, rows);
        }
      }),
    );
  }

  async find(id: string, scope?: BatchOwnerScope): Promise<StoredBatch | null> {
    if (id.length > BATCH_TEXT_LIMITS.id) return null;
    const where: FindOptionsWhere<BatchEntity> = { id, ...(scope ? ownerWhere(scope) : {}) };
    const row = await this.batches.findOne({ where });
    return row ? fromEntity(row) : null;
  }

  /** A page of the owner's batches, newest first, after the batch `after` (undefined when it names none of theirs). */
  async list(scope: BatchOwnerScope, limit: number, after?: string): Promise<BatchPage | undefined> {
    const builder = this.batches.createQueryBuilder('batch').where(ownerWhere(scope));
    if (after !== undefined) {
      const anchor = await this.find(after, scope);
      if (!anchor) return undefined;
      builder.andWhere('(batch.createdAt < :at OR (batch.createdAt = :at AND batch.id < :id))', { at: anchor.createdAt, id: anchor.id });
    }
    const rows = await builder
      .orderBy('batch.createdAt', 'DESC')
      .addOrderBy('batch.id', 'DESC')
      .take(limit + 1)
      .getMany();
    return { batches: rows.slice(0, limit).map(fromEntity), hasMore: rows.length > limit };
  }

  /** Applies the patch only while the batch is in one of `fromStatuses` (any when omitted); true when it changed. */
  async update(id: string, patch: BatchPatch, fromStatuses?: readonly string[]): Promise<boolean> {
    const values: Partial<BatchEntity> = { updatedAt: new Date() };
    if (patch.status !== undefined) values.status = patch.status;
    if (patch.body !== undefined) values.body = JSON.stringify(patch.body);
    if (patch.nativeId !== undefined) values.nativeId = patch.nativeId;
    if (patch.provider !== undefined) values.provider = patch.provider;
    if (patch.totalCount !== undefined) values.totalCount = patch.totalCount;
    if (patch.completedCount !== undefined) values.completedCount = patch.completedCount;
    if (patch.failedCount !== undefined) values.failedCount = patch.failedCount;
    const where = fromStatuses ? { id, status: In([...fromStatuses]) } : { id };
    const result = await queueSqliteWrite(this.dataSource, () => this.batches.update(where, values));
    return (result.affected ?? 0) > 0;
  }

  /**
   * Moves an emulated batch to its next run generation, only from `generation` (so of several
   * replicas sweeping at once, one wins and enqueues the run). True when this caller won.
   */
  async nextGeneration(id: string, generation: number): Promise<boolean> {
    const result = await queueSqliteWrite(this.dataSource, () => this.batches.update({ id, generation }, { generation: generation + 1, updatedAt: new Date() }));
    return (result.affected ?? 0) > 0;
  }

  /**
   * Takes the batch's budget charge off its row, for the one caller that releases it: of several
   * replicas finishing the same batch (or one finishing it twice), only the first gets it.
   */
  async takeBudgetCharge(id: string): Promise<BatchBudgetCharge | null> {
    const row = await this.batches.findOne({ select: { id: true, budgetCharge: true }, where: { id } });
    if (!row?.budgetCharge) return null;
    const result = await queueSqliteWrite(this.dataSource, () => this.batches.update({ id, budgetCharge: Not(IsNull()) }, { budgetCharge: null }));
    return (result.affected ?? 0) > 0 ? (JSON.parse(row.budgetCharge) as BatchBudgetCharge) : null;
  }

  /** Marks the batch alive (its run made progress), so the sweep leaves it alone. */
  async touch(id: string): Promise<void> {
    await queueSqliteWrite(this.dataSource, () => this.batches.update({ id }, { updatedAt: new Date() }));
  }

  /** Batches in `statuses` of `mode` not updated since `before`, oldest first. */
  async findStale(mode: 'native' | 'emulated', statuses: readonly string[], before: Date, limit: number): Promise<StoredBatch[]> {
    const rows = await this.batches.find({ where: { mode, status: In([...statuses]), updatedAt: LessThan(before) }, order: { updatedAt: 'ASC' }, take: limit });
    return rows.map(fromEntity);
  }

  /** Deletes finished batches created before `cutoff` with their items, a chunk per transaction. */
  async deleteOlderThan(cutoff: Date, chunk = 200): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows = await this.batches.find({ select: { id: true }, where: { createdAt: LessThan(cutoff), status: In(FINISHED_BATCH_STATUSES) }, take: chunk });
      if (rows.length === 0) return deleted;
      const ids = rows.map((row) => row.id);
      await queueSqliteWrite(this.dataSource, () =>
        this.dataSource.transaction(async (manager) => {
          await manager.delete(BatchItemEntity, { batchId: In(ids) });
          await manager.delete(BatchEntity, { id: In(ids) });
        }),
      );
      deleted += ids.length;
      if (rows.length < chunk) return deleted;
    }
  }
}

function ownerWhere(scope: BatchOwnerScope): FindOptionsWhere<BatchEntity> {
  const userPath = storableNullableText(scope.userPath, BATCH_TEXT_LIMITS.userPath);
  if (userPath !== null) return { userPath };
  const keyId = storableNullableText(scope.keyId, BATCH_TEXT_LIMITS.keyId);
  return { userPath: IsNull(), keyId: keyId === null ? IsNull() : keyId };
}

function toEntity(batch: StoredBatch): BatchEntity {
  return {
    ...batch,
    keyId: storableNullableText(batch.keyId, BATCH_TEXT_LIMITS.keyId),
    userPath: storableNullableText(batch.userPath, BATCH_TEXT_LIMITS.userPath),
    body: JSON.stringify(batch.body),
    budgetCharge: batch.budgetCharge ? JSON.stringify(batch.budgetCharge) : null,
  };
}

function fromEntity(row: BatchEntity): StoredBatch {
  return {
    ...row,
    mode: row.mode === 'native' ? 'native' : 'emulated',
    body: JSON.parse(row.body) as Record<string, unknown>,
    budgetCharge: row.budgetCharge ? (JSON.parse(row.budgetCharge) as BatchBudgetCharge) : null,
  };
}
