import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations';
import { createTestDatabase, type TestDatabase } from '../../test/test-databases';
import { main } from './migrate';
import { runMigrationCommand } from './migration-command';

const NAMES = MIGRATIONS.map((migration) => migration.name);
const LAST = NAMES[NAMES.length - 1];

async function hasUsageTable(db: TestDatabase): Promise<boolean> {
  const dataSource = new DataSource({ ...db.options, migrationsRun: false });
  await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  try {
    return await queryRunner.hasTable('usage_records');
  } finally {
    await queryRunner.release();
    await dataSource.destroy();
  }
}

describe.each(['sqlite', 'postgres'] as const)('migration commands on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });

  afterAll(async () => {
    await db?.dispose();
  });

  it('runs pending migrations, then reverts them one at a time, saying what it did', async () => {
    const lines: string[] = [];
    const print = (line: string) => lines.push(line);

    await runMigrationCommand('run', db.options, print);
    await runMigrationCommand('run', db.options, print);
    expect(await hasUsageTable(db)).toBe(true);
    for (let i = 0; i <= NAMES.length; i++) await runMigrationCommand('revert', db.options, print);
    expect(await hasUsageTable(db)).toBe(false);

    expect(lines).toEqual([
      ...NAMES.map((name) => `Applied ${name}`),
      'No pending migrations; the schema is up to date.',
      ...[...NAMES].reverse().map((name) => `Reverted ${name}`),
      'No applied migrations to revert.',
    ]);
  });
});

describe('migrate CLI', () => {
  const env = { ...process.env };
  let output: string[];
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
    output = [];
    const capture = (chunk: string | Uint8Array) => output.push(String(chunk)) > 0;
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    delete process.env.DATABASE_URL;
    process.env.DATA_DIR = root;
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    process.env = { ...env };
    await rm(root, { recursive: true, force: true });
  });

  it('applies and reverts migrations on the configured database and exits 0', async () => {
    expect(await main(['run'])).toBe(0);
    for (const name of NAMES) expect(output.join('')).toContain(`Applied ${name}`);
    expect(await main(['revert'])).toBe(0);
    expect(output.join('')).toContain(`Reverted ${LAST}`);
  });

  it('exits non-zero with a message when the database cannot be reached', async () => {
    process.env.DATABASE_URL = 'postgres://postgres:hunter2@127.0.0.1:1/nowhere';
    expect(await main(['run'])).toBe(1);
    const printed = output.join('');
    expect(printed).toMatch(/^Migration run failed: .*ECONNREFUSED/m);
    expect(printed).not.toContain('hunter2');
  });

  it('exits 2 with usage for an unknown command', async () => {
    expect(await main(['sideways'])).toBe(2);
    expect(output.join('')).toContain('Usage:');
  });
});
