import { join } from 'node:path';
import type { AppConfig } from '@app/config';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations';
import { UsageRecordEntity } from '../usage/usage-record.entity';
import { ConversationItemEntity } from '../conversations/conversation-item.entity';
import { ConversationEntity } from '../conversations/conversation.entity';
import { ResponseInputItemEntity } from '../responses/response-input-item.entity';
import { StoredResponseEntity } from '../responses/stored-response.entity';
import { UtcPgClient } from './utc-pg-client';

/** Every entity Switchyard stores. */
export const ENTITIES = [UsageRecordEntity, ConversationEntity, ConversationItemEntity, StoredResponseEntity, ResponseInputItemEntity];

/** File name of the embedded SQLite database inside DATA_DIR. */
export const SQLITE_FILE_NAME = 'switchyard.db';

/**
 * TypeORM options for the configured database: PostgreSQL when DATABASE_URL is set, otherwise a
 * SQLite file in DATA_DIR (TypeORM creates the directory). Pure, so the Nest module, the migration
 * CLI and tests all build the same DataSource.
 */
export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  const shared = {
    entities: ENTITIES,
    // Classes, not a glob: a glob would have to match .ts under Jest and .js in dist.
    migrations: MIGRATIONS,
    migrationsRun: config.runMigrations,
    synchronize: false,
    logging: false,
  } as const;
  if (config.databaseUrl) {
    return {
      ...shared,
      type: 'postgres',
      url: config.databaseUrl,
      applicationName: 'switchyard',
      // gen_random_uuid() is built into PostgreSQL >= 13; installing extensions needs a superuser.
      uuidExtension: 'pgcrypto',
      installExtensions: false,
      extra: { Client: UtcPgClient },
    };
  }
  return {
    ...shared,
    type: 'better-sqlite3',
    database: join(config.dataDir, SQLITE_FILE_NAME),
    // WAL lets readers (dashboards, exports) run while the usage writer inserts.
    enableWAL: true,
  };
}
