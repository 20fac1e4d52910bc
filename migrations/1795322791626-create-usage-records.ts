import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const TABLE = 'usage_records';

// Spelled out rather than imported from the entity: an applied migration must never change.
const INDEXES = [
  new TableIndex({ name: 'idx_usage_records_created_at', columnNames: ['created_at'] }),
  new TableIndex({ name: 'idx_usage_records_model_created_at', columnNames: ['model', 'created_at'] }),
  new TableIndex({ name: 'idx_usage_records_provider_created_at', columnNames: ['provider', 'created_at'] }),
  new TableIndex({ name: 'idx_usage_records_request_id', columnNames: ['request_id'] }),
];

function usageRecordsTable(postgres: boolean): Table {
  const int = (name: string, extra: { default?: number; isNullable?: boolean } = {}) => ({ name, type: 'integer', ...extra });
  const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
  return new Table({
    name: TABLE,
    columns: [
      {
        name: 'id',
        // PostgreSQL generates the uuid (gen_random_uuid()); on SQLite TypeORM supplies it.
        type: postgres ? 'uuid' : 'varchar',
        isPrimary: true,
        isGenerated: true,
        generationStrategy: 'uuid',
        primaryKeyConstraintName: 'pk_usage_records',
      },
      text('request_id', 128),
      { name: 'created_at', type: postgres ? 'timestamp' : 'datetime' },
      text('provider', 64, true),
      text('model', 255, true),
      text('endpoint', 128),
      int('status'),
      { name: 'stream', type: 'boolean', default: postgres ? 'false' : '0' },
      int('input_tokens', { default: 0 }),
      int('output_tokens', { default: 0 }),
      int('cached_tokens', { default: 0 }),
      int('reasoning_tokens', { default: 0 }),
      int('latency_ms'),
      int('time_to_first_token_ms', { isNullable: true }),
      text('key_id', 64, true),
      text('user_path', 255, true),
      text('error_type', 64, true),
    ],
  });
}

/** Creates `usage_records` with its indexes, on PostgreSQL or SQLite. */
export class CreateUsageRecords1795322791626 implements MigrationInterface {
  name = 'CreateUsageRecords1795322791626';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(usageRecordsTable(postgres));
    for (const index of INDEXES) await queryRunner.createIndex(TABLE, index.clone());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [...INDEXES].reverse()) await queryRunner.dropIndex(TABLE, index.name!);
    await queryRunner.dropTable(TABLE);
  }
}
