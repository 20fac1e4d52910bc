import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(__dirname, '../dist/apps/gateway/src/main.js');

/** Runs the built gateway with the given environment until it exits; resolves with code and stderr. */
function runGateway(env: Record<string, string>, cwd: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [MAIN], { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((done) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    }),
  );
}

describe('boot-time configuration errors on the real gateway process', () => {
  it.each([[''], ['   ']])(
    'exits 1 naming SWITCHYARD_MASTER_KEY when it is set but empty (%j)',
    async (value) => {
      expect(existsSync(MAIN)).toBe(true); // npm test builds dist/ before running the suites
      // Its own working directory: no .env file of the checkout may fill the variable in.
      const dir = mkdtempSync(join(tmpdir(), 'switchyard-boot-'));
      try {
        const { code, stderr } = await runGateway({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, SWITCHYARD_MASTER_KEY: value }, dir);
        expect(code).toBe(1);
        expect(stderr).toMatch(/SWITCHYARD_MASTER_KEY is set but empty/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});
