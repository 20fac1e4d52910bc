import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

// Spelled out rather than imported from the entities: an applied migration must never change.
const RESPONSES_INDEXES = [
  new TableIndex({ name: 'idx_responses_status_updated_at', columnNames: ['status', 'updated_at'] }),
  new TableIndex({ name: 'idx_responses_created_at', columnNames: ['created_at'] }),
];
const ITEMS_INDEX = new TableIndex({ name: 'idx_response_input_items_item_id', columnNames: ['response_id', 'item_id'] });

const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

function responsesTable(postgres: boolean): Table {
  const timestamp = (name: string) => ({ name, type: postgres ? 'timestamp' : 'datetime' });
  const flag = (name: string) => ({ name, type: 'boolean', default: postgres ? 'false' : '0' });
  return new Table({
    name: 'responses',
    columns: [
      { ...text('id', 128), isPrimary: true, primaryKeyConstraintName: 'pk_responses' },
      timestamp('created_at'),
      timestamp('updated_at'),
      text('status', 32),
      text('provider', 64),
      text('model', 255),
      flag('native'),
      flag('background'),
      text('previous_response_id', 128, true),
      text('conversation_id', 128, true),
      text('key_id', 64, true),
      { name: 'request', type: 'text' },
      { name: 'body', type: 'text' },
    ],
  });
}

function inputItemsTable(): Table {
  return new Table({
    name: 'response_input_items',
    columns: [
      { ...text('response_id', 128), isPrimary: true, primaryKeyConstraintName: 'pk_response_input_items' },
      { name: 'position', type: 'integer', isPrimary: true, primaryKeyConstraintName: 'pk_response_input_items' },
      text('item_id', 128),
      { name: 'item', type: 'text' },
    ],
  });
}

/** Creates `responses` and `response_input_items` (Responses API storage), on PostgreSQL or SQLite. */
export class CreateResponses1795500000000 implements MigrationInterface {
  name = 'CreateResponses1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(responsesTable(postgres));
    for (const index of RESPONSES_INDEXES) await queryRunner.createIndex('responses', index.clone());
    await queryRunner.createTable(inputItemsTable());
    await queryRunner.createIndex('response_input_items', ITEMS_INDEX.clone());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('response_input_items', ITEMS_INDEX.name!);
    await queryRunner.dropTable('response_input_items');
    for (const index of [...RESPONSES_INDEXES].reverse()) await queryRunner.dropIndex('responses', index.name!);
    await queryRunner.dropTable('responses');
  }
}
