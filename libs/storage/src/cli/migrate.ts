import { loadConfig } from '@app/config';
import { buildDataSourceOptions } from '../database/data-source-options';
import { type MigrationCommand, runMigrationCommand } from './migration-command';

const USAGE = 'Usage: node dist/libs/storage/src/cli/migrate.js run|revert';

function isCommand(value: string | undefined): value is MigrationCommand {
  return value === 'run' || value === 'revert';
}

/** `migrate run` applies pending migrations; `migrate revert` undoes the last one. Returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0];
  if (!isCommand(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const options = buildDataSourceOptions(loadConfig());
    process.stdout.write(`Database: ${options.type}\n`);
    await runMigrationCommand(command, options, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (error) {
    // The message is what an operator needs; a stack adds nothing, and query errors' parameters
    // are deliberately not printed.
    process.stderr.write(`Migration ${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
