import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

// Spelled out rather than read from the entities: an applied migration must never change.
const usageColumns = (postgres: boolean) => [
  new TableColumn({ name: 'cache_hit', type: 'boolean', default: postgres ? 'false' : '0' }),
  new TableColumn({ name: 'saved_cost_micros', type: 'bigint', isNullable: true }),
];
const AUDIT_CACHE = new TableColumn({ name: 'cache', type: 'varchar', length: '8', isNullable: true });

/**
 * The response cache's accounting: a usage row answered from the cache (`cache_hit`, no provider
 * cost) and what the upstream call would have cost (`saved_cost_micros`, null when no price was
 * known or the row was not a hit); the audit entry's cache verdict (HIT, MISS, BYPASS; null when
 * the cache was not consulted). No index: the cache overview reads rows by `created_at`, which is
 * indexed already.
 */
export class ResponseCacheColumns1796800000000 implements MigrationInterface {
  name = 'ResponseCacheColumns1796800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.addColumns('usage_records', usageColumns(postgres));
    await queryRunner.addColumn('audit_entries', AUDIT_CACHE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    await queryRunner.dropColumn('audit_entries', AUDIT_CACHE.name);
    await queryRunner.dropColumns(
      'usage_records',
      usageColumns(postgres)
        .reverse()
        .map((column) => column.name),
    );
  }
}
