import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

// Spelled out rather than read from the entities: an applied migration must never change.
const COUNTERS = ['requests', 'errors', 'input_tokens', 'output_tokens', 'cached_tokens', 'reasoning_tokens', 'cost_micros', 'latency_ms_total'];

function dailyKeyRollupTable(postgres: boolean): Table {
  const pk = 'pk_usage_daily_key_rollups';
  return new Table({
    name: 'usage_daily_key_rollups',
    columns: [
      { name: 'day', type: postgres ? 'timestamptz' : 'datetime', isPrimary: true, primaryKeyConstraintName: pk },
      { name: 'key_id', type: 'varchar', length: '64', isPrimary: true, primaryKeyConstraintName: pk },
      { name: 'user_path', type: 'varchar', length: '255', isPrimary: true, primaryKeyConstraintName: pk },
      ...COUNTERS.map((name) => ({ name, type: 'bigint', default: 0 })),
    ],
  });
}

/** `"schema".` when the DataSource names a schema (raw SQL does not get TypeORM's qualification). */
function schemaPrefix(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `${queryRunner.connection.driver.escape(schema)}.` : '';
}

/**
 * The UTC midnight starting an hour's day. PostgreSQL: `hour AT TIME ZONE 'UTC'` is the UTC wall
 * clock, truncated to its day and read back as a UTC instant, so the session's TimeZone plays no
 * part (a bare date_trunc on timestamptz would cut at the session's midnight). SQLite: TypeORM
 * stores datetime as UTC text `YYYY-MM-DD HH:MM:SS.SSS`, so the day is the same text at midnight.
 */
function dayOfHour(postgres: boolean): string {
  return postgres ? `date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'` : `strftime('%Y-%m-%d 00:00:00.000', hour)`;
}

/**
 * `usage_daily_key_rollups` (UTC day × key × user path): the per-key and per-user-path breakdowns
 * read a window's whole days from it and only the edge hours from `usage_hourly_key_rollups`;
 * summing 30 days of the hourly key grain (~144k rows at 5M usage rows) took 129 ms at p95.
 * Backfilled from the hourly key grain, which holds every counter since 1797100000000.
 */
export class UsageDailyKeyRollups1797300000000 implements MigrationInterface {
  name = 'UsageDailyKeyRollups1797300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const schema = schemaPrefix(queryRunner);
    await queryRunner.createTable(dailyKeyRollupTable(postgres));
    await queryRunner.query(
      `INSERT INTO ${schema}usage_daily_key_rollups (day, key_id, user_path, ${COUNTERS.join(', ')})
        SELECT ${dayOfHour(postgres)}, key_id, user_path, ${COUNTERS.map((name) => `SUM(${name})`).join(', ')}
        FROM ${schema}usage_hourly_key_rollups GROUP BY 1, key_id, user_path`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('usage_daily_key_rollups');
  }
}
