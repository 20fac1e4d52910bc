import { join } from 'node:path';
import { buildConfig } from '@app/config';
import { MIGRATIONS } from '../../../../migrations';
import { EntitySchema } from 'typeorm';
import { ConversationEntity } from '../conversations/conversation.entity';
import { StoredResponseEntity } from '../responses/stored-response.entity';
import { UsageRecordEntity } from '../usage/usage-record.entity';
import { buildDataSourceOptions } from './data-source-options';

/** The column types of every instant column, as the entities map them for `options`. */
function instantColumnTypes(options: ReturnType<typeof buildDataSourceOptions>): Record<string, unknown> {
  const types: Record<string, unknown> = {};
  for (const entity of options.entities as unknown[]) {
    if (!(entity instanceof EntitySchema)) continue;
    const { target, columns } = entity.options as { target: { name: string }; columns: Record<string, { type: unknown }> };
    for (const [property, column] of Object.entries(columns)) if (property.endsWith('At')) types[`${target.name}.${property}`] = column.type;
  }
  return types;
}

describe('buildDataSourceOptions', () => {
  it('uses a SQLite file in DATA_DIR, in WAL mode, when DATABASE_URL is unset', () => {
    const options = buildDataSourceOptions(buildConfig({ DATA_DIR: '/var/lib/switchyard' }));
    expect(options).toMatchObject({
      type: 'better-sqlite3',
      database: join('/var/lib/switchyard', 'switchyard.db'),
      enableWAL: true,
      synchronize: false,
      migrationsRun: true,
    });
  });

  it('uses PostgreSQL without installing extensions when DATABASE_URL is set', () => {
    const url = 'postgres://switchyard:pw@db.internal:5432/switchyard';
    const options = buildDataSourceOptions(buildConfig({ DATABASE_URL: url, RUN_MIGRATIONS: 'false' }));
    expect(options).toMatchObject({
      type: 'postgres',
      url,
      uuidExtension: 'pgcrypto',
      installExtensions: false,
      synchronize: false,
      migrationsRun: false,
    });
    // The stock pg client: timestamptz columns need no rewriting of dates (see the migration).
    expect(options).not.toHaveProperty('extra');
  });

  it('maps instant columns to timestamptz on PostgreSQL and datetime on SQLite', () => {
    const names = [
      'UsageRecordEntity.createdAt',
      'ConversationEntity.createdAt',
      'StoredResponseEntity.createdAt',
      'StoredResponseEntity.updatedAt',
      'BudgetEntity.createdAt',
      'BudgetEntity.updatedAt',
      'AuthKeyEntity.expiresAt',
      'AuthKeyEntity.createdAt',
      'AuthKeyEntity.updatedAt',
      'AuthKeyEntity.lastUsedAt',
      'StoredFileEntity.createdAt',
      'StoredFileEntity.expiresAt',
      'AuditEntryEntity.createdAt',
      'BatchEntity.createdAt',
      'BatchEntity.expiresAt',
      'BatchEntity.updatedAt',
      'BatchItemEntity.availableAt',
      'ModelPriceOverrideEntity.updatedAt',
    ];
    const postgres = instantColumnTypes(buildDataSourceOptions(buildConfig({ DATABASE_URL: 'postgres://db.internal/switchyard' })));
    const sqlite = instantColumnTypes(buildDataSourceOptions(buildConfig({})));
    expect(postgres).toEqual(Object.fromEntries(names.map((name) => [name, 'timestamptz'])));
    expect(sqlite).toEqual(Object.fromEntries(names.map((name) => [name, 'datetime'])));
  });

  it('lists migrations and entities as classes, so it works from .ts and from dist alike', () => {
    const options = buildDataSourceOptions(buildConfig({}));
    expect(options.migrations).toBe(MIGRATIONS);
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(MIGRATIONS.every((migration) => typeof migration === 'function')).toBe(true);
    const targets = (options.entities as unknown[]).map((entity) => (entity instanceof EntitySchema ? entity.options.target : entity));
    expect(targets).toEqual(expect.arrayContaining([UsageRecordEntity, ConversationEntity, StoredResponseEntity]));
  });
});
