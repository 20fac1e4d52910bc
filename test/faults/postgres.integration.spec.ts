import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { adminQuery, TEST_DATABASE_URL } from '../../libs/storage/test/test-databases';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { GATEWAY_MAIN, startGatewayProcess } from '../support/gateway-process';

const KEY = 'sy-faults-pg';

async function privateDatabase(): Promise<{ name: string; url: string }> {
  const name = `sy_faults_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function allowConnections(name: string, allowed: boolean): Promise<void> {
  await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS ${allowed}`);
  if (!allowed) await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
}

describe('fault matrix: PostgreSQL', () => {
  let upstream: FakeOpenAIUpstream;
  let dataDir: string;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start({ recordRequests: false });
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-faults-pg-'));
  });

  afterAll(async () => {
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('unreachable at boot: the gateway retries DATABASE_BOOT_RETRIES times, then exits 1 with one clear line', async () => {
    const db = await privateDatabase();
    try {
      await allowConnections(db.name, false);
      const child = spawn(process.execPath, [GATEWAY_MAIN], {
        env: {
          PATH: process.env.PATH,
          HOST: '127.0.0.1',
          PORT: '0',
          DATA_DIR: dataDir,
          DATABASE_URL: db.url,
          OPENAI_API_KEY: 'k',
          OPENAI_BASE_URL: upstream.baseUrl,
          DATABASE_BOOT_RETRIES: '2',
          DATABASE_BOOT_RETRY_DELAY: '200ms',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      const code = await new Promise((done) => child.once('exit', done));
      expect(code).toBe(1);
      expect(stderr).toContain('Switchyard gateway failed to start (PostgreSQL unreachable after 2 retries): database');
      expect(stderr).not.toContain('    at '); // no stack trace
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
    }
  }, 60_000);

  it('unreachable mid-run: requests keep being served, usage rows buffer and are all written when it returns', async () => {
    const db = await privateDatabase();
    const gateway = await startGatewayProcess({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      SWITCHYARD_MASTER_KEY: KEY,
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: upstream.baseUrl,
      USAGE_FLUSH_INTERVAL: '100ms',
    });
    const ask = (i: number) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': `pg-${i}` },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: i % 2 === 0 }),
      }).then(async (response) => ({ status: response.status, text: await response.text() }));
    try {
      for (let i = 0; i < 10; i++) expect((await ask(i)).status).toBe(200);
      await allowConnections(db.name, false);
      const during = await Promise.all(Array.from({ length: 30 }, (_, i) => ask(10 + i)));
      expect(during.map((answer) => answer.status)).toEqual(Array(30).fill(200));
      await allowConnections(db.name, true);
      const rows = new DataSource({ type: 'postgres', url: db.url });
      await rows.initialize();
      try {
        const deadline = Date.now() + 60_000;
        let count = 0;
        while ((count = Number((await rows.query('SELECT count(*) AS n FROM usage_records'))[0].n)) < 40 && Date.now() < deadline)
          await new Promise((done) => setTimeout(done, 200));
        expect(count).toBe(40);
        const ids = (await rows.query('SELECT request_id FROM usage_records')).map((row: { request_id: string }) => row.request_id).sort();
        expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => `pg-${i}`).sort());
      } finally {
        await rows.destroy();
      }
    } finally {
      await gateway.stop();
      await adminQuery(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
    }
  }, 120_000);
});
