import { Injectable } from '@nestjs/common';
import { generateId } from '@app/core';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { BudgetEntity } from './budget.entity';
import { BudgetSpendEntity } from './budget-spend.entity';

/** What a budget is on: a managed key, or a user path (exactly one). */
export interface BudgetSelector {
  readonly keyId?: string;
  readonly userPath?: string;
}

export interface BudgetWrite extends BudgetSelector {
  readonly period: string | null;
  readonly periodSeconds: number | null;
  readonly amountMicros: number;
}

/** Settled spend to add to one budget's period. */
export interface SpendDelta {
  readonly budgetId: string;
  readonly periodStartMs: number;
  readonly micros: number;
}

function addSpendSql(postgres: boolean): string {
  const values = postgres ? '($1, $2, $3)' : '(?, ?, ?)';
  return (
    `INSERT INTO budget_spend (budget_id, period_start_ms, spent_micros) VALUES ${values} ` +
    'ON CONFLICT (budget_id, period_start_ms) DO UPDATE SET spent_micros = budget_spend.spent_micros + excluded.spent_micros'
  );
}

const where = (selector: BudgetSelector) => (selector.keyId !== undefined ? { keyId: selector.keyId } : { userPath: selector.userPath ?? IsNull() });

/** The only place budgets and their settled spend meet TypeORM. */
@Injectable()
export class BudgetsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get budgets() {
    return this.dataSource.getRepository(BudgetEntity);
  }

  /** Every budget (an operator sets tens or hundreds, read by each replica on a timer). */
  all(): Promise<BudgetEntity[]> {
    return this.budgets.find({ order: { id: 'ASC' } });
  }

  /** A page of budgets in id order, after a cursor. */
  page(limit: number, after?: string): Promise<BudgetEntity[]> {
    return this.budgets.find({ where: after ? { id: MoreThan(after) } : {}, order: { id: 'ASC' }, take: limit });
  }

  find(selector: BudgetSelector): Promise<BudgetEntity | null> {
    return this.budgets.findOne({ where: where(selector) });
  }

  /** Creates or replaces the budget on that selector (its id, and so its spend, is kept). */
  upsert(write: BudgetWrite): Promise<BudgetEntity> {
    return queueSqliteWrite(this.dataSource, async () => {
      const existing = await this.find(write);
      const now = new Date();
      const row: BudgetEntity = {
        id: existing?.id ?? generateId('bud_', 16),
        keyId: write.keyId ?? null,
        userPath: write.keyId === undefined ? (write.userPath ?? null) : null,
        period: write.period,
        periodSeconds: write.periodSeconds,
        amountMicros: write.amountMicros,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.budgets.save(row);
      return row;
    });
  }

  /** Deletes the budget on that selector and its spend rows; false when there was none. */
  remove(selector: BudgetSelector): Promise<BudgetEntity | null> {
    return queueSqliteWrite(this.dataSource, () =>
      this.dataSource.transaction(async (manager) => {
        const existing = await manager.findOne(BudgetEntity, { where: where(selector) });
        if (!existing) return null;
        await manager.delete(BudgetSpendEntity, { budgetId: existing.id });
        await manager.delete(BudgetEntity, { id: existing.id });
        return existing;
      }),
    );
  }

  /** Settled spend of a budget's period (0 when none was recorded). */
  async spent(budgetId: string, periodStartMs: number): Promise<number> {
    const row = await this.dataSource.getRepository(BudgetSpendEntity).findOne({ where: { budgetId, periodStartMs } });
    return row?.spentMicros ?? 0;
  }

  /** Adds settled spend, one upsert per (budget, period); both databases accept ON CONFLICT … DO UPDATE. */
  addSpend(deltas: readonly SpendDelta[]): Promise<void> {
    if (deltas.length === 0) return Promise.resolve();
    const sql = addSpendSql(this.dataSource.options.type === 'postgres');
    return queueSqliteWrite(this.dataSource, async () => {
      for (const delta of deltas) await this.dataSource.query(sql, [delta.budgetId, delta.periodStartMs, delta.micros]);
    });
  }

  /** Forgets a period's spend (POST /admin/budgets/reset). */
  resetSpend(budgetId: string, periodStartMs: number): Promise<void> {
    return queueSqliteWrite(this.dataSource, async () => {
      await this.dataSource.getRepository(BudgetSpendEntity).delete({ budgetId, periodStartMs });
    });
  }
}
