import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { buildConfig } from '@app/config';
import { JobName } from '@app/queue';
import { ResponsesProcessor } from '@app/responses';
import { ResponsesRepository } from '@app/storage';
import { createWorker } from '../apps/worker/src/bootstrap';
import { WorkerHttpServer } from '../apps/worker/src/http/worker-http.server';
import { createTestDatabase } from '../libs/storage/test/test-databases';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { until } from './support/until';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WORKER_MAIN = resolve(__dirname, '../dist/apps/worker/src/main.js');

/** The built worker as a real process, so it can die the way a crashed pod does (SIGKILL). */
function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [WORKER_MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolveChild, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 20_000);
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

describe('background responses on BullMQ survive a worker crash', () => {
  const prefix = `sy-test-responses-${randomUUID()}`;
  let dataDir: string;
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;
  let crashed: ChildProcess | undefined;
  let replacement: INestApplicationContext | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-responses-worker-'));
    upstream = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: ['llama-3.3-70b'] });
  });

  afterAll(async () => {
    crashed?.kill('SIGKILL');
    await replacement?.close();
    await gateway?.close();
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  });

  it('is taken over by another worker after the first one is killed mid-job, and completes', async () => {
    expect(existsSync(WORKER_MAIN)).toBe(true); // npm test builds dist/ before running the suites
    const env = { REDIS_URL, REDIS_KEY_PREFIX: `${prefix}:`, DATA_DIR: dataDir, GROQ_API_KEY: 'gk', GROQ_BASE_URL: upstream.baseUrl, LOG_LEVEL: 'info', WORKER_HTTP_PORT: '0' };
    gateway = await startTestGateway({ ...env, LOG_LEVEL: 'silent' });
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    crashed = await startWorkerProcess(env);
    upstream.enqueue({ kind: 'hang' });
    upstream.setDefault({ kind: 'ok', content: 'Finished by the second worker.' });

    const queued = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'Long job', background: true });
    const repository = gateway.app.get(ResponsesRepository);
    const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions').length;
    await until(
      async () => {
        const row = await repository.find(queued.id);
        return row?.status === 'in_progress' && chatCalls() === 1 ? true : undefined;
      },
      20_000,
      'the first worker to start the job',
    );

    crashed.kill('SIGKILL');
    await new Promise((done) => crashed!.once('exit', done));
    crashed = undefined;
    replacement = await createWorker(buildConfig({ ...env, LOG_LEVEL: 'silent' }));

    // BullMQ hands the stalled job to the new worker once the dead one's lock expires (~30 s).
    const final = await until(
      async () => {
        const row = await repository.find(queued.id);
        return row && (row.status === 'completed' || row.status === 'failed') ? row : undefined;
      },
      120_000,
      'the job to be completed or failed',
    );
    expect(final.status).toBe('completed');
    expect((await client.responses.retrieve(queued.id)).output_text).toBe('Finished by the second worker.');
    expect(chatCalls()).toBe(2);
    // The takeover shows on the replacement's /metrics, where stalled-job alerts look.
    const metrics = await (await fetch(`http://127.0.0.1:${replacement.get(WorkerHttpServer).port()}/metrics`)).text();
    expect(metrics).toMatch(/^switchyard_jobs_stalled_total\{queue="switchyard-responses"\} [1-9]/m);
  }, 180_000);
});

describe('background responses in-process (no Redis)', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: ['llama-3.3-70b'] });
    gateway = await startTestGateway({ GROQ_API_KEY: 'gk', GROQ_BASE_URL: upstream.baseUrl });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it('runs the same processor and completes the response', async () => {
    upstream.setDefault({ kind: 'ok', content: 'Done in-process.' });
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const queued = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'Job', background: true });
    const repository = gateway.app.get(ResponsesRepository);
    const row = await until(
      async () => {
        const found = await repository.find(queued.id);
        return found?.status === 'completed' ? found : undefined;
      },
      10_000,
      'completion',
    );
    expect((row.body.output as Array<{ content: Array<{ text: string }> }>)[0].content[0].text).toBe('Done in-process.');
  });

  it('fails runs whose worker stopped heartbeating, so none stays in_progress forever', async () => {
    const repository = gateway.app.get(ResponsesRepository);
    const old = new Date(Date.now() - 5 * 60_000);
    await repository.create(
      {
        id: 'resp_orphan',
        createdAt: old,
        updatedAt: old,
        status: 'in_progress',
        provider: 'groq',
        model: 'm',
        native: false,
        background: true,
        previousResponseId: null,
        conversationId: null,
        keyId: null,
        userPath: null,
        request: {},
        body: { id: 'resp_orphan', status: 'in_progress', output: [] },
      },
      [],
    );
    const result = await gateway.app.get(ResponsesProcessor).process({ id: 'sweep-1', name: JobName.StaleResponsesSweep, data: { staleAfterMs: 60_000 }, attempt: 1 });
    expect(result).toEqual({ failed: 1 });
    expect(await repository.find('resp_orphan')).toMatchObject({ status: 'failed', body: { status: 'failed', error: { code: 'server_error' } } });
  });
});

describe.each(['sqlite', 'postgres'] as const)('responses schema on %s', (kind) => {
  it('matches the entities after migrating (schema parity)', async () => {
    const database = await createTestDatabase(kind);
    const dataSource = new DataSource({ ...database.options, migrationsRun: false });
    try {
      await dataSource.initialize();
      await dataSource.runMigrations();
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query)).toEqual([]);
      // Revert the migrations applied after CreateResponses first, then it.
      const names = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
      for (let i = names.indexOf('CreateResponses1795500000000'); i >= 0 && i < names.length; i++) await dataSource.undoLastMigration();
      // hasTable looks in the test's own schema on PostgreSQL (to_regclass would search the search_path).
      const queryRunner = dataSource.createQueryRunner();
      try {
        expect(await queryRunner.hasTable('responses')).toBe(false);
        expect(await queryRunner.hasTable('usage_records')).toBe(true);
      } finally {
        await queryRunner.release();
      }
    } finally {
      await dataSource.destroy();
      await database.dispose();
    }
  });
});
