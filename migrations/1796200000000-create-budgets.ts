import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

// Spelled out rather than imported from the entities: an applied migration must never change.
const BUDGETS = 'budgets';
const SPEND = 'budget_spend';
const KEY_INDEX = new TableIndex({ name: 'idx_budgets_key_id', columnNames: ['key_id'], isUnique: true });
const PATH_INDEX = new TableIndex({ name: 'idx_budgets_user_path', columnNames: ['user_path'], isUnique: true });

function budgetsTable(postgres: boolean): Table {
  const instant = postgres ? 'timestamptz' : 'datetime';
  return new Table({
    name: BUDGETS,
    columns: [
      { name: 'id', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: 'pk_budgets' },
      { name: 'key_id', type: 'varchar', length: '128', isNullable: true },
      { name: 'user_path', type: 'varchar', length: '255', isNullable: true },
      { name: 'period', type: 'varchar', length: '16', isNullable: true },
      { name: 'period_seconds', type: 'integer', isNullable: true },
      { name: 'amount_micros', type: 'bigint' },
      { name: 'created_at', type: instant },
      { name: 'updated_at', type: instant },
    ],
  });
}

// The primary key (budget_id, period_start_ms) is the index both the seed lookup and the upsert use.
function spendTable(): Table {
  return new Table({
    name: SPEND,
    columns: [
      { name: 'budget_id', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: 'pk_budget_spend' },
      { name: 'period_start_ms', type: 'bigint', isPrimary: true, primaryKeyConstraintName: 'pk_budget_spend' },
      { name: 'spent_micros', type: 'bigint' },
    ],
  });
}

/** Creates `budgets` (one per key or user path) and `budget_spend` (settled spend per budget and period). */
export class CreateBudgets1796200000000 implements MigrationInterface {
  name = 'CreateBudgets1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(budgetsTable(postgres));
    await queryRunner.createIndex(BUDGETS, KEY_INDEX.clone());
    await queryRunner.createIndex(BUDGETS, PATH_INDEX.clone());
    await queryRunner.createTable(spendTable());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(SPEND);
    await queryRunner.dropIndex(BUDGETS, PATH_INDEX.name!);
    await queryRunner.dropIndex(BUDGETS, KEY_INDEX.name!);
    await queryRunner.dropTable(BUDGETS);
  }
}
