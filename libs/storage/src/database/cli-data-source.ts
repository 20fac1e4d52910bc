import { loadConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';

/**
 * The DataSource TypeORM's own CLI loads (`typeorm migration:run -d
 * dist/libs/storage/src/database/cli-data-source.js`, behind the npm `migration:*` scripts). Built
 * from the environment and `.env` exactly as the gateway builds its own, so the CLI migrates the
 * database the gateway would use. Each migration commits on its own: when one fails, the ones
 * before it stay applied and recorded instead of being rolled back with it.
 */
export const cliDataSource = new DataSource({ ...buildDataSourceOptions(loadConfig()), migrationsRun: false, migrationsTransactionMode: 'each' });
