import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { adminQuery, TEST_DATABASE_URL } from '../libs/storage/test/test-databases';
import { type GatewayProcess, startGatewayProcess } from './support/gateway-process';

const MASTER = 'sy-keys-replicas-master';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function chat(gateway: GatewayProcess, key: string): Promise<number> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'x' }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function admin(gateway: GatewayProcess, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${gateway.url}/admin/auth-keys${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return response.json();
}

/** Polls until `probe` answers `status`; the time it took, in ms (throws after `limitMs`). */
async function timeUntil(probe: () => Promise<number>, status: number, limitMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if ((await probe()) === status) return performance.now() - started;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`no ${status} within ${limitMs} ms`);
}

// Two built gateways on one PostgreSQL database and one Redis: a key written through one is
// honoured, and its deactivation enforced, by the other through pub/sub, not the periodic reload.
describe('managed keys across two gateway replicas (PostgreSQL + Redis)', () => {
  const database = `sy_keys_${randomBytes(5).toString('hex')}`;
  const prefix = `sy-test-keys-${randomUUID()}:`;
  let dataDir: string;
  let a: GatewayProcess | undefined;
  let b: GatewayProcess | undefined;

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-keys-'));
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: dataDir,
      SWITCHYARD_MASTER_KEY: MASTER,
      SWITCHYARD_KEY_HASH_SECRET: 'replicas-share-this',
      // Far beyond the test: only the invalidation message can explain what replica B does.
      KEY_CACHE_REFRESH_INTERVAL: '10m',
    };
    a = await startGatewayProcess(env);
    b = await startGatewayProcess({ ...env, RUN_MIGRATIONS: 'false' });
  }, 60_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  }, 60_000);

  it('serves a key created on A from B, and refuses it on B within 1 s of its deactivation on A', async () => {
    const created = await admin(a!, '', { name: 'replicated', user_path: '/acme' });
    const visible = await timeUntil(() => chat(b!, created.value as string), 200, 1_000);
    expect(visible).toBeLessThan(1_000);
    expect(await chat(a!, created.value as string)).toBe(200);

    const deactivatedAt = performance.now();
    await admin(a!, `/${created.id}/deactivate`, {});
    const refused = await timeUntil(() => chat(b!, created.value as string), 401, 1_000);
    const sinceRequest = performance.now() - deactivatedAt;
    // Measured from the moment the deactivation was sent to A, its answer included.
    expect(sinceRequest).toBeLessThan(1_000);
    expect(refused).toBeLessThan(1_000);
    expect(await chat(a!, created.value as string)).toBe(401);
    console.log(`key visible on B after ${visible.toFixed(1)} ms; refused on B ${sinceRequest.toFixed(1)} ms after the deactivation was sent to A`);
    for (const gateway of [a!, b!]) expect(gateway.output()).not.toContain(created.value);
  }, 30_000);
});
