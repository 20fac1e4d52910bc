import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

// Spelled out rather than imported from the entities: an applied migration must never change.
const CONVERSATIONS = 'conversations';
const ITEMS = 'conversation_items';
const ITEM_ID_INDEX = new TableIndex({
  name: 'idx_conversation_items_conversation_id_item_id',
  columnNames: ['conversation_id', 'item_id'],
  isUnique: true,
});

function conversationsTable(postgres: boolean): Table {
  return new Table({
    name: CONVERSATIONS,
    columns: [
      { name: 'id', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: 'pk_conversations' },
      { name: 'created_at', type: postgres ? 'timestamp' : 'datetime' },
      { name: 'metadata', type: 'text' },
      { name: 'next_item_position', type: 'integer', default: 0 },
    ],
  });
}

// The primary key (conversation_id, position) is also the index every item query filters and
// orders by; item lookups by id use the unique index.
function itemsTable(): Table {
  return new Table({
    name: ITEMS,
    columns: [
      { name: 'conversation_id', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: 'pk_conversation_items' },
      { name: 'position', type: 'integer', isPrimary: true, primaryKeyConstraintName: 'pk_conversation_items' },
      { name: 'item_id', type: 'varchar', length: '128' },
      { name: 'type', type: 'varchar', length: '64' },
      { name: 'item', type: 'text' },
    ],
  });
}

/** Creates `conversations` and `conversation_items`, on PostgreSQL or SQLite. */
export class CreateConversations1795400000000 implements MigrationInterface {
  name = 'CreateConversations1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(conversationsTable(postgres));
    await queryRunner.createTable(itemsTable());
    await queryRunner.createIndex(ITEMS, ITEM_ID_INDEX.clone());
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(ITEMS, ITEM_ID_INDEX.name!);
    await queryRunner.dropTable(ITEMS);
    await queryRunner.dropTable(CONVERSATIONS);
  }
}
