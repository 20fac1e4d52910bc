import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { adminQuery, TEST_DATABASE_URL } from '../libs/storage/test/test-databases';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { type GatewayProcess, startGatewayProcess } from './support/gateway-process';

const KEY = 'sy-governance-replicas';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIENTS = 40;
const REQUESTS = 160;

/** Two built gateways on one PostgreSQL and one Redis, as two replicas behind a balancer. */
describe('rate limits across two gateway replicas', () => {
  const database = `sy_limits_${randomBytes(5).toString('hex')}`;
  const prefix = `sy-test-limits-${randomUUID()}:`;
  let dataDir: string;
  let upstream: FakeOpenAIUpstream;
  let a: GatewayProcess | undefined;
  let b: GatewayProcess | undefined;

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await upstream?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  }, 60_000);

  it('a 100-request-per-minute limit admits exactly 100 across both, under 40 concurrent clients', async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-limits-'));
    upstream = await FakeOpenAIUpstream.start({ recordRequests: false });
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: dataDir,
      SWITCHYARD_MASTER_KEY: KEY,
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: upstream.baseUrl,
      RATE_LIMITS: 'user:/replicas rpm=100',
    };
    a = await startGatewayProcess(env);
    b = await startGatewayProcess({ ...env, RUN_MIGRATIONS: 'false' });
    const replicas = [a, b];
    let next = 0;
    const statuses: number[] = [];
    const client = async (id: number): Promise<void> => {
      while (next < REQUESTS) {
        const n = next++;
        const response = await fetch(`${replicas[(n + id) % 2].url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-switchyard-user-path': `/replicas/user-${id}` },
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
    expect(statuses).toHaveLength(REQUESTS);
    expect(statuses.filter((status) => status === 200)).toHaveLength(100);
    expect(statuses.filter((status) => status === 429)).toHaveLength(REQUESTS - 100);
  }, 90_000);
});
