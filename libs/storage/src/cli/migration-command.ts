import { DataSource, type DataSourceOptions, MigrationExecutor } from 'typeorm';

/** What the migration CLI can do. */
export type MigrationCommand = 'run' | 'revert';

/** Where the CLI reports progress; process.stdout in production, a buffer in tests. */
export type Print = (line: string) => void;

async function runPending(dataSource: DataSource, print: Print): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length === 0) print('No pending migrations; the schema is up to date.');
  for (const migration of applied) print(`Applied ${migration.name}`);
}

async function revertLast(dataSource: DataSource, print: Print): Promise<void> {
  // Newest first, the one undoLastMigration() will revert.
  const [last] = await new MigrationExecutor(dataSource).getExecutedMigrations();
  if (!last) {
    print('No applied migrations to revert.');
    return;
  }
  await dataSource.undoLastMigration({ transaction: 'each' });
  print(`Reverted ${last.name}`);
}

/**
 * Runs all pending migrations or reverts the last applied one against the database described by
 * `options`, printing what it did. Rejects on failure; the DataSource is always closed.
 */
export async function runMigrationCommand(command: MigrationCommand, options: DataSourceOptions, print: Print): Promise<void> {
  // Never let the connection itself apply migrations: this command decides what happens.
  const dataSource = new DataSource({ ...options, migrationsRun: false });
  await dataSource.initialize();
  try {
    if (command === 'run') await runPending(dataSource, print);
    else await revertLast(dataSource, print);
  } finally {
    await dataSource.destroy();
  }
}
