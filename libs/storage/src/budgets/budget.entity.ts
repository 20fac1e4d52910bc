import { EntitySchema, type ValueTransformer } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/** Micro-dollars as bigint columns, read back as numbers (PostgreSQL's driver returns bigint as text). */
export const MICROS: ValueTransformer = { to: (value: number) => value, from: (value: string | number | null) => (value === null ? null : Number(value)) };

/**
 * One row of `budgets`: a spend limit on a managed key or on a user path (covering the paths
 * below it), per calendar period (`daily`, `weekly`, `monthly`, UTC) or per `period_seconds`.
 * Exactly one of keyId / userPath is set, and each selector has at most one budget.
 */
export class BudgetEntity {
  id: string;
  keyId: string | null;
  userPath: string | null;
  /** `daily`, `weekly`, `monthly`, or null when periodSeconds is set. */
  period: string | null;
  periodSeconds: number | null;
  amountMicros: number;
  createdAt: Date;
  updatedAt: Date;
}

export function budgetSchema(kind: DatabaseKind): EntitySchema<BudgetEntity> {
  return new EntitySchema<BudgetEntity>({
    name: BudgetEntity.name,
    target: BudgetEntity,
    tableName: 'budgets',
    columns: {
      id: { name: 'id', type: 'varchar', length: 64, primary: true, primaryKeyConstraintName: 'pk_budgets' },
      keyId: { name: 'key_id', type: 'varchar', length: 128, nullable: true },
      userPath: { name: 'user_path', type: 'varchar', length: 255, nullable: true },
      period: { name: 'period', type: 'varchar', length: 16, nullable: true },
      periodSeconds: { name: 'period_seconds', type: 'integer', nullable: true },
      amountMicros: { name: 'amount_micros', type: 'bigint', transformer: MICROS },
      createdAt: instantColumn(kind, 'created_at'),
      updatedAt: instantColumn(kind, 'updated_at'),
    },
    indices: [
      { name: 'idx_budgets_key_id', columns: ['keyId'], unique: true },
      { name: 'idx_budgets_user_path', columns: ['userPath'], unique: true },
    ],
  });
}
