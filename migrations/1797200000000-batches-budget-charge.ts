import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

// Spelled out rather than read from the entity: an applied migration must never change.
const BUDGET_CHARGE = new TableColumn({ name: 'budget_charge', type: 'text', isNullable: true });

/**
 * A native batch's cost estimate charged to its owner's budgets at create (JSON: the amount and
 * the budgets and periods it went to), so whichever replica brings the results home, after any
 * restart, takes it back exactly once. Null once released, and for emulated batches (their items
 * reserve as they run). No index: it is read with the row, never filtered on.
 */
export class BatchesBudgetCharge1797200000000 implements MigrationInterface {
  name = 'BatchesBudgetCharge1797200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('batches', BUDGET_CHARGE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('batches', BUDGET_CHARGE.name);
  }
}
