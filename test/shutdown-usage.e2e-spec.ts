import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { adminQuery, TEST_DATABASE_URL } from '../libs/storage/test/test-databases';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { GATEWAY_MAIN, startGatewayProcess } from './support/gateway-process';

const MASTER_KEY = 'sy-shutdown-key';
const STREAMS = 20;

/** Where the gateway under test stores usage: a temporary SQLite file or a private PostgreSQL database. */
interface Store {
  readonly env: Record<string, string>;
  rows(): Promise<{ request_id: string; error_type: string | null }[]>;
  dispose(): Promise<void>;
}

function sqliteStore(): Store {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-shutdown-'));
  return {
    env: { DATA_DIR: dataDir },
    async rows() {
      const db = new Database(join(dataDir, 'switchyard.db'), { readonly: true });
      try {
        return db.prepare('SELECT request_id, error_type FROM usage_records ORDER BY request_id').all() as never;
      } finally {
        db.close();
      }
    },
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresStore(): Promise<Store> {
  const name = `sy_shutdown_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-shutdown-'));
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    async rows() {
      const db = new DataSource({ type: 'postgres', url: url.toString() });
      await db.initialize();
      try {
        return await db.query('SELECT request_id, error_type FROM usage_records ORDER BY request_id');
      } finally {
        await db.destroy();
      }
    },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

describe.each([
  ['SQLite', async () => sqliteStore()],
  ['PostgreSQL', postgresStore],
] as const)('SIGTERM with streams cut by SHUTDOWN_DRAIN_TIMEOUT on %s', (_name, makeStore) => {
  it('records every request, cut or not, before the process exits', async () => {
    expect(existsSync(GATEWAY_MAIN)).toBe(true); // run `npm run build` first
    const upstream = await FakeOpenAIUpstream.start({ recordRequests: false });
    const store = await makeStore();
    try {
      const gateway = await startGatewayProcess({
        ...store.env,
        PORT: '0',
        HOST: '127.0.0.1',
        SWITCHYARD_MASTER_KEY: MASTER_KEY,
        OPENAI_API_KEY: 'k',
        OPENAI_BASE_URL: upstream.baseUrl,
        LOG_LEVEL: 'info',
        // Only the shutdown path can write these rows, and it must cut the streams.
        USAGE_FLUSH_INTERVAL: '1h',
        SHUTDOWN_DRAIN_TIMEOUT: '500ms',
      });
      // Each stream would take ~60 s: far past the drain timeout.
      upstream.setDefault({ kind: 'ok', content: 'word '.repeat(120), eventDelayMs: 500 });
      const client = new OpenAI({ apiKey: MASTER_KEY, baseURL: `http://127.0.0.1:${gateway.port}/v1`, maxRetries: 0 });
      const streams = await Promise.all(
        Array.from({ length: STREAMS }, async (_, i) => {
          const stream = await client.chat.completions.create(
            { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true },
            { headers: { 'X-Request-ID': `cut-${String(i).padStart(2, '0')}` } },
          );
          const iterator = stream[Symbol.asyncIterator]();
          await iterator.next(); // the stream is under way
          return iterator;
        }),
      );

      gateway.child.kill('SIGTERM');
      // Read on until the gateway cuts each stream (an error or an early end).
      await Promise.all(
        streams.map(async (iterator) => {
          try {
            while (!(await iterator.next()).done);
          } catch {
            // cut by the drain timeout, as intended
          }
        }),
      );
      expect(await gateway.exit).toBe(0);

      const rows = await store.rows();
      expect(rows.map((row) => row.request_id)).toEqual(Array.from({ length: STREAMS }, (_, i) => `cut-${String(i).padStart(2, '0')}`));
      // Cut streams are recorded as such, not as successes.
      expect(rows.every((row) => row.error_type === 'client_closed')).toBe(true);
    } finally {
      await upstream.close();
      await store.dispose();
    }
  }, 60_000);
});
