import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { FakeOpenAIUpstream } from './support/fake-upstream';

const MAIN = resolve(__dirname, '../dist/apps/gateway/src/main.js');
const MASTER_KEY = 'sy-sigterm-key';

/** Starts the built gateway as a real process and resolves with its port once it listens. */
function startGatewayProcess(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolvePort, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"msg":"Switchyard gateway listening","port":(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort({ child, port: Number(match[1]), exit });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then((code) => reject(new Error(`gateway exited (${code}) before listening:\n${output}`)));
  });
}

describe('SIGTERM on the real gateway process (npm start)', () => {
  it('drains an in-flight stream, flushes every usage record and exits 0', async () => {
    expect(existsSync(MAIN)).toBe(true); // npm test builds dist/ before running the suites
    const upstream = await FakeOpenAIUpstream.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-sigterm-'));
    try {
      const { child, port, exit } = await startGatewayProcess({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        SWITCHYARD_MASTER_KEY: MASTER_KEY,
        OPENAI_API_KEY: 'k',
        OPENAI_BASE_URL: upstream.baseUrl,
        LOG_LEVEL: 'info',
        // Only the shutdown flush can write these rows.
        USAGE_FLUSH_INTERVAL: '1h',
      });
      const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'X-Request-ID': 'sigterm-json' } });

      upstream.setDefault({ kind: 'ok', content: 'one two three four five six', eventDelayMs: 80 });
      const stream = await client.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true },
        { headers: { 'X-Request-ID': 'sigterm-stream' } },
      );
      let text = '';
      let signalled = false;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (!signalled) {
          child.kill('SIGTERM');
          signalled = true;
        }
      }
      expect(text).toBe('one two three four five six');
      expect(await exit).toBe(0);

      const db = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
      const rows = db.prepare('SELECT request_id, status, stream, error_type FROM usage_records ORDER BY request_id').all();
      db.close();
      expect(rows).toEqual([
        { request_id: 'sigterm-json', status: 200, stream: 0, error_type: null },
        { request_id: 'sigterm-stream', status: 200, stream: 1, error_type: null },
      ]);
    } finally {
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
