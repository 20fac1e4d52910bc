import type { EntitySchemaColumnOptions } from 'typeorm';

/** The database an entity set is built for; column types differ where no one type fits both. */
export type DatabaseKind = 'postgres' | 'sqlite';

/**
 * A column holding an instant (a Date). On PostgreSQL `timestamptz`: the server stores the instant
 * itself, so neither the process's nor the server's time zone can shift what is read back. SQLite
 * has no such type; TypeORM writes and reads `datetime` as UTC text there. A decorator cannot pick
 * the type per database (it runs once, at import), which is why the entities with an instant
 * column are EntitySchemas built per DatabaseKind.
 */
export function instantColumn(kind: DatabaseKind, name: string): EntitySchemaColumnOptions {
  return { name, type: kind === 'postgres' ? 'timestamptz' : 'datetime' };
}
