import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

// Spelled out rather than imported from the entities: an applied migration must never change.
const AUDIT_INDEXES = [
  new TableIndex({ name: 'idx_audit_entries_created_at_id', columnNames: ['created_at', 'id'] }),
  new TableIndex({ name: 'idx_audit_entries_request_id', columnNames: ['request_id'] }),
  new TableIndex({ name: 'idx_audit_entries_key_id_created_at', columnNames: ['key_id', 'created_at'] }),
  new TableIndex({ name: 'idx_audit_entries_user_path_created_at', columnNames: ['user_path', 'created_at'] }),
  new TableIndex({ name: 'idx_audit_entries_model_created_at', columnNames: ['model', 'created_at'] }),
  new TableIndex({ name: 'idx_audit_entries_provider_created_at', columnNames: ['provider', 'created_at'] }),
  new TableIndex({ name: 'idx_audit_entries_status_created_at', columnNames: ['status', 'created_at'] }),
  new TableIndex({ name: 'idx_audit_entries_previous_response_id', columnNames: ['previous_response_id'] }),
  new TableIndex({ name: 'idx_audit_entries_conversation_id', columnNames: ['conversation_id'] }),
];

// The usage log's new filters (key, user path, status) and its keyset order (created_at, id).
const USAGE_INDEXES = [
  new TableIndex({ name: 'idx_usage_records_created_at_id', columnNames: ['created_at', 'id'] }),
  new TableIndex({ name: 'idx_usage_records_key_id_created_at', columnNames: ['key_id', 'created_at'] }),
  new TableIndex({ name: 'idx_usage_records_user_path_created_at', columnNames: ['user_path', 'created_at'] }),
  new TableIndex({ name: 'idx_usage_records_status_created_at', columnNames: ['status', 'created_at'] }),
];

const FINE = [
  ['provider', 64],
  ['model', 255],
  ['key_id', 64],
  ['user_path', 255],
] as const;
const COARSE = FINE.slice(0, 2);

const text = (name: string, length: number, isNullable = true) => ({ name, type: 'varchar', length: String(length), isNullable });
const longText = (name: string) => ({ name, type: 'text', isNullable: true });
const instant = (postgres: boolean, name: string) => ({ name, type: postgres ? 'timestamptz' : 'datetime' });

function auditTable(postgres: boolean): Table {
  return new Table({
    name: 'audit_entries',
    columns: [
      { name: 'id', type: postgres ? 'uuid' : 'varchar', isPrimary: true, isGenerated: true, generationStrategy: 'uuid', primaryKeyConstraintName: 'pk_audit_entries' },
      instant(postgres, 'created_at'),
      text('request_id', 128, false),
      text('key_id', 64),
      text('key_name', 255),
      text('user_path', 255),
      text('method', 16, false),
      text('route', 128, false),
      text('path', 2048, false),
      text('requested_model', 255),
      text('provider', 64),
      text('model', 255),
      longText('attempts'),
      { name: 'status', type: 'integer' },
      text('error_type', 64),
      text('error_message', 1024),
      { name: 'stream', type: 'boolean', default: postgres ? 'false' : '0' },
      { name: 'latency_ms', type: 'integer' },
      { name: 'time_to_first_byte_ms', type: 'integer', isNullable: true },
      text('client_ip', 64),
      text('previous_response_id', 128),
      text('conversation_id', 128),
      longText('request_headers'),
      longText('request_body'),
      longText('response_body'),
      { name: 'body_truncated', type: 'boolean', default: postgres ? 'false' : '0' },
    ],
  });
}

/** A rollup table: the hour and its dimensions as the primary key, then the counters. */
function rollupTable(postgres: boolean, name: string, dimensions: ReadonlyArray<readonly [string, number]>): Table {
  const pk = `pk_${name}`;
  const counter = (column: string) => ({ name: column, type: 'bigint', default: 0 });
  return new Table({
    name,
    columns: [
      { ...instant(postgres, 'hour'), isPrimary: true, primaryKeyConstraintName: pk },
      ...dimensions.map(([column, length]) => ({ name: column, type: 'varchar', length: String(length), isPrimary: true, primaryKeyConstraintName: pk })),
      ...['requests', 'errors', 'input_tokens', 'output_tokens', 'cached_tokens', 'reasoning_tokens', 'cost_micros', 'latency_ms_total'].map(counter),
    ],
  });
}

/**
 * The operator console's tables: `audit_entries` (one per request, indexed for every filter of
 * the audit log), `usage_hourly_rollups` (hour × provider × model × key × user path) and
 * `usage_hourly_model_rollups` (hour × provider × model), what the usage analytics read, plus the usage log's new indexes. Existing usage rows are rolled up
 * here once, so analytics cover the history from the start.
 */
export class CreateAuditAndUsageRollups1796600000000 implements MigrationInterface {
  name = 'CreateAuditAndUsageRollups1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.createTable(auditTable(postgres));
    for (const index of AUDIT_INDEXES) await queryRunner.createIndex('audit_entries', index.clone());
    await queryRunner.createTable(rollupTable(postgres, 'usage_hourly_rollups', FINE));
    await queryRunner.createTable(rollupTable(postgres, 'usage_hourly_model_rollups', COARSE));
    for (const index of USAGE_INDEXES) await queryRunner.createIndex('usage_records', index.clone());
    await queryRunner.query(backfill(postgres, schemaPrefix(queryRunner), 'usage_hourly_rollups', FINE));
    await queryRunner.query(backfill(postgres, schemaPrefix(queryRunner), 'usage_hourly_model_rollups', COARSE));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [...USAGE_INDEXES].reverse()) await queryRunner.dropIndex('usage_records', index.name!);
    await queryRunner.dropTable('usage_hourly_model_rollups');
    await queryRunner.dropTable('usage_hourly_rollups');
    for (const index of [...AUDIT_INDEXES].reverse()) await queryRunner.dropIndex('audit_entries', index.name!);
    await queryRunner.dropTable('audit_entries');
  }
}

/** `"schema".` when the DataSource names a schema (raw SQL does not get TypeORM's qualification). */
function schemaPrefix(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `${queryRunner.connection.driver.escape(schema)}.` : '';
}

/** Rolls up the usage rows already stored (no cost: no row had one before this migration). */
function backfill(postgres: boolean, schema: string, table: string, dimensions: ReadonlyArray<readonly [string, number]>): string {
  // TypeORM stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.SSS' UTC text; the hour keeps that form.
  const hour = postgres ? "date_trunc('hour', created_at)" : "strftime('%Y-%m-%d %H:00:00.000', created_at)";
  const names = dimensions.map(([column]) => column);
  const groups = names.map((_, index) => index + 2).join(', ');
  return `INSERT INTO ${schema}${table} (hour, ${names.join(', ')}, requests, errors, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_micros, latency_ms_total)
    SELECT ${hour}, ${names.map((column) => `COALESCE(${column}, '')`).join(', ')}, COUNT(*),
      SUM(CASE WHEN status >= 400 OR error_type IS NOT NULL THEN 1 ELSE 0 END),
      SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(reasoning_tokens), 0, SUM(latency_ms)
    FROM ${schema}usage_records GROUP BY 1, ${groups}`;
}
