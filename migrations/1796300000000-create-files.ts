import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

// Spelled out rather than imported from the entities: an applied migration must never change.
const FILES_INDEXES = [
  new TableIndex({ name: 'idx_files_owner_created_at', columnNames: ['owner', 'created_at', 'id'] }),
  new TableIndex({ name: 'idx_files_owner_purpose_created_at', columnNames: ['owner', 'purpose', 'created_at', 'id'] }),
  new TableIndex({ name: 'idx_files_expires_at', columnNames: ['expires_at'] }),
  new TableIndex({ name: 'idx_files_status_created_at', columnNames: ['status', 'created_at'] }),
];

const text = (name: string, length: number, isNullable = false) => ({ name, type: 'varchar', length: String(length), isNullable });

function filesTable(postgres: boolean): Table {
  const instant = (name: string, isNullable = false) => ({ name, type: postgres ? 'timestamptz' : 'datetime', isNullable });
  return new Table({
    name: 'files',
    columns: [
      { ...text('id', 128), isPrimary: true, primaryKeyConstraintName: 'pk_files' },
      text('owner', 320),
      text('key_id', 64, true),
      text('user_path', 255, true),
      text('purpose', 64),
      text('filename', 512),
      { name: 'bytes', type: 'integer' },
      text('content_type', 255),
      text('status', 16),
      instant('created_at'),
      instant('expires_at', true),
      text('provider', 64, true),
      text('provider_file_id', 128, true),
    ],
  });
}

function chunksTable(postgres: boolean): Table {
  return new Table({
    name: 'file_chunks',
    columns: [
      { ...text('file_id', 128), isPrimary: true, primaryKeyConstraintName: 'pk_file_chunks' },
      { name: 'chunk_index', type: 'integer', isPrimary: true, primaryKeyConstraintName: 'pk_file_chunks' },
      { name: 'data', type: postgres ? 'bytea' : 'blob' },
    ],
  });
}

/** Creates `files` and `file_chunks` (Files API storage), on PostgreSQL or SQLite. */
export class CreateFiles1796300000000 implements MigrationInterface {
  name = 'CreateFiles1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(filesTable(postgres));
    for (const index of FILES_INDEXES) await queryRunner.createIndex('files', index.clone());
    await queryRunner.createTable(chunksTable(postgres));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('file_chunks');
    for (const index of [...FILES_INDEXES].reverse()) await queryRunner.dropIndex('files', index.name!);
    await queryRunner.dropTable('files');
  }
}
