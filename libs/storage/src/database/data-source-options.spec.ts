import { join } from 'node:path';
import { buildConfig } from '@app/config';
import { MIGRATIONS } from '../../../../migrations';
import { UsageRecordEntity } from '../usage/usage-record.entity';
import { buildDataSourceOptions } from './data-source-options';
import { UtcPgClient } from './utc-pg-client';

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
      extra: { Client: UtcPgClient },
    });
  });

  it('lists migrations and entities as classes, so it works from .ts and from dist alike', () => {
    const options = buildDataSourceOptions(buildConfig({}));
    expect(options.migrations).toBe(MIGRATIONS);
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(MIGRATIONS.every((migration) => typeof migration === 'function')).toBe(true);
    expect(options.entities).toContain(UsageRecordEntity);
  });
});
