import type { DataSource, ObjectLiteral, Repository } from 'typeorm';
import { queueSqliteWrite } from './sqlite-write-queue';

// Rows removed per DELETE: small enough that each statement holds its locks only briefly (SQLite
// has one writer), large enough that a backlog of millions clears in a few hundred statements.
const DELETE_BATCH_SIZE = 5_000;

/**
 * Deletes the rows of a per-request table (usage, audit) created before `cutoff`, a few thousand
 * per statement, and returns how many were deleted. Safe to repeat.
 */
export async function deleteCreatedBefore(dataSource: DataSource, repository: Repository<ObjectLiteral>, cutoff: Date): Promise<number> {
  // Raw parameters skip TypeORM's column conversion (better-sqlite3 cannot bind a Date, and
  // SQLite compares the stored UTC text), so convert the way the column itself would.
  const createdAt = repository.metadata.findColumnWithPropertyName('createdAt')!;
  const cutoffValue: unknown = dataSource.driver.preparePersistentValue(cutoff, createdAt);
  const oldest = repository.createQueryBuilder('old').select('old.id').where('old.createdAt < :cutoff').limit(DELETE_BATCH_SIZE).getQuery();
  let deleted = 0;
  for (;;) {
    const result = await queueSqliteWrite(dataSource, () => repository.createQueryBuilder().delete().where(`id IN (${oldest})`).setParameter('cutoff', cutoffValue).execute());
    const affected = result.affected ?? 0;
    deleted += affected;
    if (affected < DELETE_BATCH_SIZE) return deleted;
  }
}
