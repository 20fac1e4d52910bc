import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { adminQuery, TEST_DATABASE_URL } from '../../libs/storage/test/test-databases';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process';

const KEY = 'sy-faults-rolling';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const STREAMS = 20;
const AFTER = 10;

const chat = (stream: boolean, id: string) => ({
  method: 'POST',
  headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': id },
  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream }),
});

describe('fault matrix: SIGTERM to one gateway of two under load', () => {
  const database = `sy_rolling_${randomBytes(5).toString('hex')}`;
  const prefix = `sy-test-rolling-${randomUUID()}:`;
  let dataDir: string;
  let upstream: FakeOpenAIUpstream;
  let a: GatewayProcess | undefined;
  let b: GatewayProcess | undefined;

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  }, 60_000);

  it('finishes its 20 streams, refuses new connections (they go to the other), exits 0, and every request has its usage row', async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-rolling-'));
    upstream = await FakeOpenAIUpstream.start({ recordRequests: false });
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: dataDir,
      SWITCHYARD_MASTER_KEY: KEY,
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: upstream.baseUrl,
      SHUTDOWN_DRAIN_TIMEOUT: '60s',
    };
    a = await startGatewayProcess(env);
    b = await startGatewayProcess({ ...env, RUN_MIGRATIONS: 'false' });
    // ~3 s per stream: long enough to be in flight at SIGTERM, far within the drain timeout.
    upstream.setDefault({ kind: 'ok', content: 'word '.repeat(30), eventDelayMs: 100 });
    const streams = await Promise.all(
      Array.from({ length: STREAMS }, async (_, i) => {
        const response = await fetch(`${a!.url}/v1/chat/completions`, chat(true, `stream-${i}`));
        expect(response.status).toBe(200);
        return response;
      }),
    );

    a.child.kill('SIGTERM');
    const leaving = a;
    // A client-side balancer: the draining gateway refuses new connections; the request goes to the other.
    await new Promise((done) => setTimeout(done, 200));
    const servedBy: string[] = [];
    for (let i = 0; i < AFTER; i++) {
      let response: Response;
      try {
        response = await fetch(`${leaving.url}/v1/chat/completions`, chat(false, `after-${i}`));
        servedBy.push('a');
      } catch {
        response = await fetch(`${b.url}/v1/chat/completions`, chat(false, `after-${i}`));
        servedBy.push('b');
      }
      expect(response.status).toBe(200);
      await response.text();
    }
    expect(servedBy).toEqual(Array(AFTER).fill('b'));

    const bodies = await Promise.all(streams.map((response) => response.text()));
    for (const body of bodies) expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await leaving.exit).toBe(0);
    a = undefined;

    const rows = new DataSource({ type: 'postgres', url: url.toString() });
    await rows.initialize();
    try {
      const deadline = Date.now() + 30_000;
      let found: { request_id: string; status: number }[] = [];
      while ((found = await rows.query('SELECT request_id, status FROM usage_records')).length < STREAMS + AFTER && Date.now() < deadline)
        await new Promise((done) => setTimeout(done, 200));
      expect(found.map((row) => row.request_id).sort()).toEqual(
        [...Array.from({ length: STREAMS }, (_, i) => `stream-${i}`), ...Array.from({ length: AFTER }, (_, i) => `after-${i}`)].sort(),
      );
      expect(found.every((row) => row.status === 200)).toBe(true);
    } finally {
      await rows.destroy();
    }
  }, 120_000);
});
