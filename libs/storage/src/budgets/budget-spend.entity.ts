import { EntitySchema } from 'typeorm';
import { MICROS } from './budget.entity';

/**
 * One row of `budget_spend`: settled spend of one budget in one period, the durable truth behind
 * the Redis counter (which is re-seeded from it when Redis lost it). One row per budget and
 * period, so it grows with periods, not with requests.
 */
export class BudgetSpendEntity {
  budgetId: string;
  /** Start of the period, epoch milliseconds (UTC): a plain number both databases bind and compare alike. */
  periodStartMs: number;
  spentMicros: number;
}

export const budgetSpendSchema = new EntitySchema<BudgetSpendEntity>({
  name: BudgetSpendEntity.name,
  target: BudgetSpendEntity,
  tableName: 'budget_spend',
  columns: {
    budgetId: { name: 'budget_id', type: 'varchar', length: 64, primary: true, primaryKeyConstraintName: 'pk_budget_spend' },
    periodStartMs: { name: 'period_start_ms', type: 'bigint', primary: true, primaryKeyConstraintName: 'pk_budget_spend', transformer: MICROS },
    spentMicros: { name: 'spent_micros', type: 'bigint', transformer: MICROS },
  },
});
