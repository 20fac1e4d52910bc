import type { MigrationInterface, QueryRunner } from 'typeorm';

// Spelled out rather than read from the entities: an applied migration must never change.
const INSTANT_COLUMNS: ReadonlyArray<readonly [table: string, column: string]> = [
  ['usage_records', 'created_at'],
  ['conversations', 'created_at'],
  ['responses', 'created_at'],
  ['responses', 'updated_at'],
];

/** The table as TypeORM addresses it: in the DataSource's schema when one is configured. */
function tablePath(queryRunner: QueryRunner, table: string): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `"${schema}"."${table}"` : `"${table}"`;
}

async function convert(queryRunner: QueryRunner, type: 'timestamptz' | 'timestamp'): Promise<void> {
  for (const [table, column] of INSTANT_COLUMNS) {
    // `AT TIME ZONE 'UTC'` turns a UTC wall clock into its instant (up) and an instant back into
    // its UTC wall clock (down), whatever the session's TimeZone. TypeORM's changeColumn would
    // drop and re-add the column on a type change, losing the data.
    await queryRunner.query(`ALTER TABLE ${tablePath(queryRunner, table)} ALTER COLUMN "${column}" TYPE ${type} USING "${column}" AT TIME ZONE 'UTC'`);
  }
}

/**
 * PostgreSQL: instant columns become `timestamptz`. They were `timestamp` (no zone) holding the
 * UTC wall clock, which stayed right only while every client rewrote dates to UTC (the gateway's
 * former UtcPgClient); any other client (a plain pg client, a report tool) reads and writes such
 * columns in its own zone. SQLite has no such type (TypeORM keeps UTC text in `datetime`), so
 * there this does nothing.
 */
export class TimestampsWithTimeZone1795600000000 implements MigrationInterface {
  name = 'TimestampsWithTimeZone1795600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') await convert(queryRunner, 'timestamptz');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') await convert(queryRunner, 'timestamp');
  }
}
