import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';

// Spelled out rather than read from the entities: an applied migration must never change.
const USAGE = 'usage_records';
const OVERRIDES = 'model_price_overrides';

/** Token counts pricing needs to recompute a cost later (cache writes and audio cost their own rates). */
const TOKEN_COLUMNS = ['cache_write_tokens', 'audio_input_tokens', 'audio_output_tokens'];

/** The cost breakdown of a row in integer micro-dollars; null when no price was known. */
const COST_COLUMNS = [
  'cost_input_micros',
  'cost_cached_input_micros',
  'cost_cache_write_micros',
  'cost_output_micros',
  'cost_reasoning_micros',
  'cost_audio_input_micros',
  'cost_audio_output_micros',
  'cost_micros',
];

const PRICE_COLUMNS = ['cached_input_micros_per_mtok', 'cache_write_micros_per_mtok', 'reasoning_micros_per_mtok', 'audio_input_micros_per_mtok', 'audio_output_micros_per_mtok'];

function usageColumns(): TableColumn[] {
  return [
    ...TOKEN_COLUMNS.map((name) => new TableColumn({ name, type: 'integer', default: 0 })),
    ...COST_COLUMNS.map((name) => new TableColumn({ name, type: 'bigint', isNullable: true })),
    new TableColumn({ name: 'cost_source', type: 'varchar', length: '32', isNullable: true }),
  ];
}

// Looked up by its primary key (provider, model) only; the whole table is read at boot.
function overridesTable(postgres: boolean): Table {
  return new Table({
    name: OVERRIDES,
    columns: [
      { name: 'provider', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: 'pk_model_price_overrides' },
      { name: 'model', type: 'varchar', length: '255', isPrimary: true, primaryKeyConstraintName: 'pk_model_price_overrides' },
      { name: 'input_micros_per_mtok', type: 'bigint' },
      { name: 'output_micros_per_mtok', type: 'bigint' },
      ...PRICE_COLUMNS.map((name) => ({ name, type: 'bigint', isNullable: true })),
      { name: 'updated_at', type: postgres ? 'timestamptz' : 'datetime' },
    ],
  });
}

/**
 * Cost per usage record (by kind, total and source) plus the token counts a recomputation needs,
 * and the operators' price overrides. Recalculation walks `usage_records` by created_at, which
 * idx_usage_records_created_at already indexes.
 */
export class UsageCostAndPriceOverrides1796100000000 implements MigrationInterface {
  name = 'UsageCostAndPriceOverrides1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(USAGE, usageColumns());
    await queryRunner.createTable(overridesTable(queryRunner.connection.options.type === 'postgres'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(OVERRIDES);
    await queryRunner.dropColumns(USAGE, usageColumns());
  }
}
