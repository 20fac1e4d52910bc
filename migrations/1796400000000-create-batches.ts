import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

// Spelled out rather than imported from the entities: an applied migration must never change.
const BATCH_INDEXES = [
  new TableIndex({ name: 'idx_batches_user_path_created_at', columnNames: ['user_path', 'created_at'] }),
  new TableIndex({ name: 'idx_batches_status_updated_at', columnNames: ['status', 'updated_at'] }),
  new TableIndex({ name: 'idx_batches_created_at', columnNames: ['created_at'] }),
];
const ITEMS_INDEX = new TableIndex({ name: 'idx_batch_items_batch_status_position', columnNames: ['batch_id', 'status', 'position'] });
const USAGE_INDEX = new TableIndex({ name: 'idx_usage_records_batch_id', columnNames: ['batch_id'] });

const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });
const count = (name: string) => ({ name, type: 'integer', default: 0 });

function batchesTable(instant: string): Table {
  return new Table({
    name: 'batches',
    columns: [
      { ...text('id', 64), isPrimary: true, primaryKeyConstraintName: 'pk_batches' },
      { name: 'created_at', type: instant },
      { name: 'updated_at', type: instant },
      text('status', 16),
      text('mode', 16),
      text('provider', 64, true),
      text('endpoint', 64),
      text('key_id', 64, true),
      text('user_path', 255, true),
      text('native_id', 255, true),
      count('generation'),
      count('total_count'),
      count('completed_count'),
      count('failed_count'),
      { name: 'expires_at', type: instant },
      { name: 'body', type: 'text' },
    ],
  });
}

function itemsTable(instant: string): Table {
  return new Table({
    name: 'batch_items',
    columns: [
      { ...text('batch_id', 64), isPrimary: true, primaryKeyConstraintName: 'pk_batch_items' },
      { name: 'position', type: 'integer', isPrimary: true, primaryKeyConstraintName: 'pk_batch_items' },
      text('custom_id', 512),
      text('status', 16),
      count('attempts'),
      { name: 'available_at', type: instant },
      text('lease_owner', 64, true),
      { name: 'lease_until', type: instant, isNullable: true },
      text('provider', 64),
      { name: 'request', type: 'text' },
      { name: 'status_code', type: 'integer', isNullable: true },
      { name: 'response', type: 'text', isNullable: true },
      { name: 'error', type: 'text', isNullable: true },
      text('upstream_request_id', 128, true),
    ],
  });
}

const USAGE_COLUMNS = [new TableColumn(text('batch_id', 64, true)), new TableColumn(text('custom_id', 512, true))];

/**
 * Creates `batches` and `batch_items` (Batches API; items only for emulated batches) and adds
 * `batch_id`/`custom_id` to `usage_records`, one usage row per batch item.
 */
export class CreateBatches1796400000000 implements MigrationInterface {
  name = 'CreateBatches1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(batchesTable(instant));
    for (const index of BATCH_INDEXES) await queryRunner.createIndex('batches', index.clone());
    await queryRunner.createTable(itemsTable(instant));
    await queryRunner.createIndex('batch_items', ITEMS_INDEX.clone());
    await queryRunner.addColumns(
      'usage_records',
      USAGE_COLUMNS.map((column) => column.clone()),
    );
    await queryRunner.createIndex('usage_records', USAGE_INDEX.clone());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('usage_records', USAGE_INDEX.name!);
    await queryRunner.dropColumns(
      'usage_records',
      USAGE_COLUMNS.map((column) => column.name),
    );
    await queryRunner.dropIndex('batch_items', ITEMS_INDEX.name!);
    await queryRunner.dropTable('batch_items');
    for (const index of [...BATCH_INDEXES].reverse()) await queryRunner.dropIndex('batches', index.name!);
    await queryRunner.dropTable('batches');
  }
}
