import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { adminQuery, TEST_DATABASE_URL } from '../../libs/storage/test/test-databases';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process';
import { type PrivateRedis, startPrivateRedis } from '../support/private-redis';

const KEY = 'sy-faults-redis';
const WORKER_MAIN = resolve(__dirname, '../../dist/apps/worker/src/main.js');

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((done, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Switchyard worker started')) return;
      clearTimeout(timer);
      done(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

describe('fault matrix: Redis killed under load', () => {
  const database = `sy_redis_${randomBytes(5).toString('hex')}`;
  let redis: PrivateRedis;
  let upstream: FakeOpenAIUpstream;
  let gateway: GatewayProcess | undefined;
  let worker: ChildProcess | undefined;
  let dataDir: string;

  afterAll(async () => {
    worker?.kill('SIGKILL');
    await gateway?.stop();
    await upstream?.close();
    await redis?.kill();
    rmSync(dataDir, { recursive: true, force: true });
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }, 60_000);

  it('keeps inference serving (readiness degraded), resumes background jobs when Redis returns, loses no usage row', async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-faults-redis-'));
    redis = await startPrivateRedis();
    upstream = await FakeOpenAIUpstream.start({ recordRequests: false, models: ['llama-3.3-70b'] });
    const env = {
      DATABASE_URL: url.toString(),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'sy-faults:',
      DATA_DIR: dataDir,
      SWITCHYARD_MASTER_KEY: KEY,
      GROQ_API_KEY: 'k',
      GROQ_BASE_URL: upstream.baseUrl,
      USAGE_FLUSH_INTERVAL: '200ms',
      WORKER_HTTP_PORT: '0',
    };
    gateway = await startGatewayProcess(env);
    worker = await startWorker({ ...env, LOG_LEVEL: 'info' });
    const g = gateway;
    const post = (path: string, body: unknown, id?: string) =>
      fetch(`${g.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...(id ? { 'x-request-id': id } : {}) },
        body: JSON.stringify(body),
      });
    const ready = async () => {
      const response = await fetch(`${g.url}/health/ready`);
      return { status: response.status, body: await response.text() };
    };
    expect((await ready()).status).toBe(200);

    // Load: requests keep flowing while Redis dies and comes back.
    let sent = 0;
    const statuses: number[] = [];
    let loading = true;
    const load = (async () => {
      while (loading) {
        const id = `load-${sent++}`;
        const response = await post('/v1/chat/completions', { model: 'groq/llama-3.3-70b', messages: [{ role: 'user', content: 'x' }], stream: sent % 2 === 0 }, id);
        statuses.push(response.status);
        await response.text();
      }
    })();
    await new Promise((done) => setTimeout(done, 500));
    await redis.kill();
    const servedBefore = statuses.length;
    const deadline = Date.now() + 20_000;
    let readiness = await ready();
    while (!readiness.body.includes('degraded') && Date.now() < deadline) readiness = await ready();
    expect(readiness.status).toBe(200);
    expect(readiness.body).toContain('degraded');
    await new Promise((done) => setTimeout(done, 1_000));
    expect(statuses.length).toBeGreaterThan(servedBefore); // still serving during the outage

    await redis.restart();
    // Background jobs resume: one queued after Redis came back is run by the worker.
    let queued: { id: string; status: string } | undefined;
    let lastRefusal = '';
    for (let i = 0; i < 100 && !queued; i++) {
      const response = await post('/v1/responses', { model: 'groq/llama-3.3-70b', input: 'after the outage', background: true });
      if (response.status === 200) queued = (await response.json()) as { id: string; status: string };
      else {
        lastRefusal = `${response.status} ${await response.text()}`;
        await new Promise((done) => setTimeout(done, 200));
      }
    }
    // While the queue reconnects the gateway may answer 503 (never anything else).
    expect({ status: queued?.status, lastRefusal }).toEqual({ status: 'queued', lastRefusal: expect.stringMatching(/^$|^503 /) });
    let final = '';
    for (let i = 0; i < 300 && final !== 'completed' && final !== 'failed'; i++) {
      final = ((await (await fetch(`${g.url}/v1/responses/${queued!.id}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { status: string }).status;
      if (final !== 'completed') await new Promise((done) => setTimeout(done, 100));
    }
    expect(final).toBe('completed');
    loading = false;
    await load;
    expect(statuses.every((status) => status === 200)).toBe(true);

    const rows = new DataSource({ type: 'postgres', url: url.toString() });
    await rows.initialize();
    try {
      const until = Date.now() + 30_000;
      let ids: string[] = [];
      while (
        (ids = (await rows.query("SELECT request_id FROM usage_records WHERE request_id LIKE 'load-%'")).map((row: { request_id: string }) => row.request_id)).length < sent &&
        Date.now() < until
      )
        await new Promise((done) => setTimeout(done, 200));
      expect(new Set(ids).size).toBe(sent);
    } finally {
      await rows.destroy();
    }
  }, 120_000);
});
