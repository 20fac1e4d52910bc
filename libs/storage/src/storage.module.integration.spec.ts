import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, buildConfig, ConfigModule } from '@app/config';
import { ObservabilityModule } from '@app/observability';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { adminQuery, TEST_DATABASE_URL, usageRecord } from '../test/test-databases';
import { buildDataSourceOptions } from './database/data-source-options';
import { StorageModule } from './storage.module';
import { UsageRetentionProcessor } from './usage/usage-retention.processor';
import { UsageWriter } from './usage/usage-writer';
import { UsageRepository } from './usage/usage.repository';
import { BulkInserter } from './database/bulk-inserter';

interface Target {
  readonly config: AppConfig;
  dispose(): Promise<void>;
}

// The module reads only DATABASE_URL, so on PostgreSQL each run gets a database of its own.
async function postgresTarget(): Promise<Target> {
  const name = `storage_module_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const config = buildConfig({ DATABASE_URL: url.toString(), METRICS_ENABLED: 'false' });
  return { config, dispose: () => adminQuery(`DROP DATABASE "${name}" WITH (FORCE)`) };
}

async function sqliteTarget(): Promise<Target> {
  const root = await mkdtemp(join(tmpdir(), 'switchyard-module-'));
  const config = buildConfig({ DATA_DIR: join(root, 'data'), METRICS_ENABLED: 'false' });
  return { config, dispose: () => rm(root, { recursive: true, force: true }) };
}

function boot(config: AppConfig) {
  return Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), ObservabilityModule.forRoot(config), StorageModule.forRoot(config)],
  }).compile();
}

describe.each([
  ['sqlite', sqliteTarget],
  ['postgres', postgresTarget],
] as const)('StorageModule on %s', (_kind, createTarget) => {
  let target: Target;

  beforeAll(async () => {
    target = await createTarget();
  });

  afterAll(async () => {
    await target?.dispose();
  });

  it('migrates at boot and writes buffered usage before the DataSource closes on shutdown', async () => {
    const app = await boot(target.config);
    await app.init();
    const dataSource = app.get(DataSource);
    expect(dataSource.isInitialized).toBe(true);
    expect(await dataSource.showMigrations()).toBe(false);
    // Usage and audit retention, hourly each.
    expect(app.get(UsageRetentionProcessor).schedules()).toHaveLength(2);

    // The flush interval (1 s) has not passed: only shutdown can have written this record.
    app.get(UsageWriter).record(usageRecord({ requestId: 'written-at-shutdown' }));
    await app.close();
    expect(dataSource.isInitialized).toBe(false);

    const check = new DataSource({ ...buildDataSourceOptions(target.config), migrationsRun: false });
    await check.initialize();
    try {
      const stored = await new UsageRepository(check, new BulkInserter(check)).findByRequestId('written-at-shutdown');
      expect(stored?.model).toBe('gpt-4o-mini');
    } finally {
      await check.destroy();
    }
  });

  it('leaves the schema alone when RUN_MIGRATIONS is off', async () => {
    const config: AppConfig = { ...target.config, runMigrations: false };
    const dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
    try {
      await dataSource.undoLastMigration();
    } finally {
      await dataSource.destroy();
    }
    const app = await boot(config);
    await app.init();
    try {
      expect(await app.get(DataSource).showMigrations()).toBe(true);
    } finally {
      await app.close();
    }
  });
});
