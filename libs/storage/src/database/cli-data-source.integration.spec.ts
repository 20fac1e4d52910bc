import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MIGRATIONS } from '../../../../migrations';
import { adminQuery, TEST_DATABASE_URL } from '../../test/test-databases';

const ROOT = resolve(__dirname, '../../../..');
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const DATA_SOURCE = 'dist/libs/storage/src/database/cli-data-source.js';
const NAMES = MIGRATIONS.map((migration) => migration.name);
const LAST = NAMES[NAMES.length - 1];

interface Outcome {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs an npm `migration:*` script's command as npm would (repository root, node_modules/.bin on
 * PATH), minus its leading `npm run build`: rebuilding dist/ here would pull it from under other
 * suites. `npm test` builds before the suites run.
 */
function runScript(name: string, env: Record<string, string>, args: string[] = []): Promise<Outcome> {
  const command = SCRIPTS[name].replace(/^npm run build && /, '');
  const path = `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`;
  return new Promise((done) => {
    execFile('sh', ['-c', `${command} "$@"`, 'sh', ...args], { cwd: ROOT, env: { PATH: path, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

/** The `[X]` / `[ ]` lines of `migration:show`, ids left out. */
function shown(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /^\[[X ]\] /.test(line))
    .map((line) => line.replace(/^\[X\] \d+ /, '[X] '));
}

describe('npm migration scripts', () => {
  it("run TypeORM's CLI on the built CLI DataSource, rebuilding first", () => {
    for (const command of ['run', 'revert', 'show']) {
      expect(SCRIPTS[`migration:${command}`]).toBe(`npm run build && typeorm migration:${command} -d ${DATA_SOURCE}`);
    }
    expect(existsSync(join(ROOT, DATA_SOURCE))).toBe(true); // npm test builds dist/ before running the suites
  });

  it('create a migration file in migrations/ style, named as MIGRATIONS expects', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-create-'));
    try {
      const created = await runScript('migration:create', {}, [join(dir, 'add-foo'), '--timestamp', '1796000000000']);
      expect(created.code).toBe(0);
      expect(await readdir(dir)).toEqual(['1796000000000-add-foo.ts']);
      expect(await readFile(join(dir, '1796000000000-add-foo.ts'), 'utf8')).toContain('export class AddFoo1796000000000 implements MigrationInterface');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

interface Target {
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

// The CLI DataSource reads only the environment, so on PostgreSQL each run gets a database of its own.
async function postgresTarget(): Promise<Target> {
  const name = `migration_cli_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, dispose: () => adminQuery(`DROP DATABASE "${name}" WITH (FORCE)`) };
}

async function sqliteTarget(): Promise<Target> {
  const root = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
  return { env: { DATA_DIR: join(root, 'data') }, dispose: () => rm(root, { recursive: true, force: true }) };
}

describe.each([
  ['sqlite', sqliteTarget],
  ['postgres', postgresTarget],
] as const)('migration scripts on %s', (_kind, createTarget) => {
  let target: Target;

  beforeAll(async () => {
    target = await createTarget();
  });

  afterAll(async () => {
    await target?.dispose();
  });

  it('show what is pending, run it, list it as applied, and revert the last one', async () => {
    expect(shown((await runScript('migration:show', target.env)).output)).toEqual(NAMES.map((name) => `[ ] ${name}`));

    const run = await runScript('migration:run', target.env);
    expect(run.code).toBe(0);
    for (const name of NAMES) expect(run.output).toContain(`Migration ${name} has been executed successfully.`);
    expect(shown((await runScript('migration:show', target.env)).output)).toEqual(NAMES.map((name) => `[X] ${name}`));

    const again = await runScript('migration:run', target.env);
    expect(again).toMatchObject({ code: 0, output: expect.stringContaining('No migrations are pending') });

    const revert = await runScript('migration:revert', target.env);
    expect(revert.code).toBe(0);
    expect(revert.output).toContain(`Migration ${LAST} has been reverted successfully.`);
    expect(shown((await runScript('migration:show', target.env)).output)).toEqual([...NAMES.slice(0, -1).map((name) => `[X] ${name}`), `[ ] ${LAST}`]);
    // Five CLI processes, each loading TypeORM and the whole migration set: seconds each on a busy 2-core machine.
  }, 60_000);
});

describe('migration scripts without a database', () => {
  it('exit non-zero naming the cause, without the password', async () => {
    const failed = await runScript('migration:run', { DATABASE_URL: 'postgres://postgres:hunter2@127.0.0.1:1/nowhere' });
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain('Error during migration run:');
    expect(failed.output).toContain('ECONNREFUSED');
    expect(failed.output).not.toContain('hunter2');
  });
});
