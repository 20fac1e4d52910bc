import { join } from 'node:path';
import type { AppConfig } from '@app/config';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations';
import { budgetSchema } from '../budgets/budget.entity';
import { budgetSpendSchema } from '../budgets/budget-spend.entity';
import { usageRecordSchema } from '../usage/usage-record.entity';
import { usageDailyKeyRollupSchema, usageKeyRollupSchema, usageModelRollupSchema, usageRollupSchema } from '../usage/usage-rollup.entity';
import { auditEntrySchema } from '../audit/audit-entry.entity';
import { ConversationItemEntity } from '../conversations/conversation-item.entity';
import { conversationSchema } from '../conversations/conversation.entity';
import { ResponseInputItemEntity } from '../responses/response-input-item.entity';
import { batchItemSchema } from '../batches/batch-item.entity';
import { batchSchema } from '../batches/batch.entity';
import { storedResponseSchema } from '../responses/stored-response.entity';
import { authKeySchema } from '../auth-keys/auth-key.entity';
import { fileChunkSchema } from '../files/file-chunk.entity';
import { storedFileSchema } from '../files/stored-file.entity';
import { modelPriceOverrideSchema } from '../pricing/model-price-override.entity';
import type { DatabaseKind } from './instant-column';

/**
 * Every entity Switchyard stores, mapped for `kind`: decorated classes where the mapping is the
 * same on both databases, EntitySchemas where a column type differs (see instantColumn).
 */
export function entitiesFor(kind: DatabaseKind) {
  return [
    usageRecordSchema(kind),
    usageRollupSchema(kind),
    usageModelRollupSchema(kind),
    usageKeyRollupSchema(kind),
    usageDailyKeyRollupSchema(kind),
    auditEntrySchema(kind),
    conversationSchema(kind),
    ConversationItemEntity,
    storedResponseSchema(kind),
    ResponseInputItemEntity,
    authKeySchema(kind),
    budgetSchema(kind),
    budgetSpendSchema,
    storedFileSchema(kind),
    fileChunkSchema(kind),
    modelPriceOverrideSchema(kind),
    batchSchema(kind),
    batchItemSchema(kind),
  ];
}

/** File name of the embedded SQLite database inside DATA_DIR. */
export const SQLITE_FILE_NAME = 'switchyard.db';

/**
 * TypeORM options for the configured database: PostgreSQL when DATABASE_URL is set, otherwise a
 * SQLite file in DATA_DIR (TypeORM creates the directory). Pure, so the Nest module, the migration
 * CLI and tests all build the same DataSource.
 */
export function buildDataSourceOptions(config: AppConfig): DataSourceOptions {
  const kind: DatabaseKind = config.databaseUrl ? 'postgres' : 'sqlite';
  const shared = {
    entities: entitiesFor(kind),
    // Classes, not a glob: a glob would have to match .ts under Jest and .js in dist.
    migrations: MIGRATIONS,
    migrationsRun: config.runMigrations,
    synchronize: false,
    logging: false,
  } as const;
  if (kind === 'postgres') {
    return {
      ...shared,
      type: 'postgres',
      url: config.databaseUrl,
      applicationName: 'switchyard',
      // gen_random_uuid() is built into PostgreSQL >= 13; installing extensions needs a superuser.
      uuidExtension: 'pgcrypto',
      installExtensions: false,
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
