import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { adminQuery, TEST_DATABASE_URL } from '../../libs/storage/test/test-databases';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from '../support/gateway-harness';
import { until } from '../support/until';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKER_MAIN = resolve(__dirname, '../../dist/apps/worker/src/main.js');
const ITEMS = 200;

/** The built worker as a real process, so it can die the way a crashed pod does (SIGKILL). */
function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolveChild, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.DEBUG_WORKER) process.stderr.write(chunk);
      if (output.includes('Switchyard worker started')) {
        clearTimeout(timer);
        resolveChild(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

/** How often the fake upstream saw each item (the custom_id travels in the message text). */
function sentPerItem(upstream: FakeOpenAIUpstream): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of upstream.requests) {
    if (request.path !== '/v1/chat/completions') continue;
    const id = String((request.body as { messages: Array<{ content: string }> }).messages[0].content);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('emulated batches on PostgreSQL + BullMQ survive a worker crash', () => {
  const prefix = `sy-test-batches-${randomUUID()}`;
  const database = `batches_test_${randomBytes(6).toString('hex')}`;
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE "${database}"`);
    upstream = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: ['llama-3.3-70b'] });
    upstream.setDefault({ kind: 'ok', delayMs: 25 });
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await gateway?.close();
    await upstream?.close();
    await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`);
    await adminQuery(`DROP DATABASE IF EXISTS "${database}"`);
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  });

  it('is taken over by another worker after the first is SIGKILLed mid-batch; recorded items are never sent again', async () => {
    expect(existsSync(WORKER_MAIN)).toBe(true); // npm test builds dist/ before running the suites
    const databaseUrl = `${TEST_DATABASE_URL.replace(/\/[^/]*$/, '')}/${database}`;
    const env = {
      REDIS_URL,
      REDIS_KEY_PREFIX: `${prefix}:`,
      DATABASE_URL: databaseUrl,
      GROQ_API_KEY: 'gk',
      GROQ_BASE_URL: upstream.baseUrl,
      BATCH_CONCURRENCY: '4',
      // Groq has a native batch API; this test is about emulated runs taken over by another worker.
      BATCH_MODE: 'emulate',
      BATCH_ITEM_LEASE: '5s',
      LOG_LEVEL: 'info',
      WORKER_HTTP_PORT: '0',
    };
    gateway = await startTestGateway({ ...env, LOG_LEVEL: 'silent' });
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    workers.push(await startWorkerProcess(env));

    const requests = Array.from({ length: ITEMS }, (_, i) => ({
      custom_id: `item-${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'groq/llama-3.3-70b', messages: [{ role: 'user', content: `item-${i}` }] },
    }));
    const created = await client.post<OpenAI.Batches.Batch>('/batches', { body: { endpoint: '/v1/chat/completions', completion_window: '24h', requests } });
    await until(async () => ((await client.batches.retrieve(created.id)).request_counts!.completed >= 40 ? true : undefined), 30_000, 'the first worker to make progress');

    workers[0].kill('SIGKILL');
    await new Promise((done) => workers[0].once('exit', done));
    // What the dead worker had recorded: these items must never reach the upstream again.
    const recorded = await client.get<{ data: unknown[] }>(`/batches/${created.id}/results`).catch(() => undefined);
    expect(recorded).toBeUndefined(); // 409 while running
    const rows: Array<{ custom_id: string }> = await gateway.app
      .get(DataSource)
      .query(`SELECT custom_id FROM batch_items WHERE batch_id = $1 AND status = 'succeeded'`, [created.id]);
    const sentBeforeKill = sentPerItem(upstream);
    workers.push(await startWorkerProcess(env));

    // BullMQ hands the stalled run to the new worker once the dead one's lock expires (~30 s).
    const done = await until(
      async () => {
        const batch = await client.batches.retrieve(created.id);
        return ['completed', 'failed', 'expired', 'cancelled'].includes(batch.status) ? batch : undefined;
      },
      120_000,
      'the batch to finish',
    );
    expect(done).toMatchObject({ status: 'completed', request_counts: { total: ITEMS, completed: ITEMS, failed: 0 } });
    const output = (await (await client.files.content(done.output_file_id!)).text()).split('\n').filter(Boolean);
    expect(output.map((line) => (JSON.parse(line) as { custom_id: string }).custom_id).sort()).toEqual(requests.map((request) => request.custom_id).sort());

    const sent = sentPerItem(upstream);
    for (const { custom_id: id } of rows) expect(sent.get(id)).toBe(1);
    const resent = [...sent].filter(([, count]) => count > 1).map(([id]) => id);
    // Only items in flight at the kill (answered or not, but not yet recorded) may go out twice: at most one chunk.
    for (const id of resent) expect(sentBeforeKill.get(id)).toBe(1);
    expect(resent.length).toBeLessThanOrEqual(8);
    expect(sent.size).toBe(ITEMS);
  }, 180_000);
});
