import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

// Spelled out rather than read from the entities: an applied migration must never change.
const DIMENSIONS = ['model', 'provider', 'key_id', 'user_path'] as const;
const ERRORS = 'status >= 400';

const indexes = (table: string): TableIndex[] =>
  DIMENSIONS.map((column) => new TableIndex({ name: `idx_${table}_errors_${column}_created_at`, columnNames: [column, 'created_at'], where: ERRORS }));

/**
 * The console's "errors of this model / provider / key / user path" log pages. With only the
 * (dimension, created_at) indexes, a dimension whose rows are nearly all successes is read whole
 * to find its few errors (1.5 s for a 250,000-row model at 5M usage rows). Partial indexes over
 * the failed rows (a few percent) answer those pages from the errors alone, and cost nothing on
 * the successful writes. SQLite and PostgreSQL both use a partial index when the query's
 * `status >= 400` implies its predicate.
 */
export class ErrorLogIndexes1797000000000 implements MigrationInterface {
  name = 'ErrorLogIndexes1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndices('usage_records', indexes('usage_records'));
    await queryRunner.createIndices('audit_entries', indexes('audit_entries'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndices('audit_entries', indexes('audit_entries'));
    await queryRunner.dropIndices('usage_records', indexes('usage_records'));
  }
}
