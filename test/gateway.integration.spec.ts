import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { UsageRepository, UsageWriter } from '@app/storage';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { TcpProxy } from './support/tcp-proxy';
import { adminQuery, TEST_DATABASE_URL as DATABASE_URL } from '../libs/storage/test/test-databases';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A database of its own for this run, reached through a proxy the test can cut. */
async function isolatedDatabase(proxy: TcpProxy): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `gateway_it_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(DATABASE_URL);
  url.host = `127.0.0.1:${proxy.port}`;
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE "${name}" WITH (FORCE)`) };
}

describe('gateway on PostgreSQL and Redis (production shape)', () => {
  let upstream: FakeOpenAIUpstream;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  let database: { url: string; drop: () => Promise<void> };
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start();
    const pg = new URL(DATABASE_URL);
    const redis = new URL(REDIS_URL);
    pgProxy = await TcpProxy.start(Number(pg.port || 5432), pg.hostname);
    redisProxy = await TcpProxy.start(Number(redis.port || 6379), redis.hostname);
    database = await isolatedDatabase(pgProxy);
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: upstream.baseUrl,
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      REDIS_KEY_PREFIX: `sy-it-${randomBytes(4).toString('hex')}:`,
      READINESS_TIMEOUT: '500ms',
    });
  }, 30_000);

  afterAll(async () => {
    await gateway?.close();
    await pgProxy?.close();
    await redisProxy?.close();
    await database?.drop();
    await upstream?.close();
    // The database is cut by the last test: the usage writer's final flush waits for it up to its
    // deadline (FINAL_FLUSH_DEADLINE_MS) before it gives up.
  }, 30_000);

  it('records usage rows in PostgreSQL for streamed and non-streamed completions', async () => {
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] },
      { headers: { 'X-Request-ID': 'pg-json', 'X-Switchyard-User-Path': '/team/alice' } },
    );
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], stream: true },
      { headers: { 'X-Request-ID': 'pg-stream' } },
    );
    for await (const _chunk of stream);
    await gateway.app.get(UsageWriter).flush();
    const repository = gateway.app.get(UsageRepository);
    expect(await repository.findByRequestId('pg-json')).toMatchObject({ provider: 'openai', stream: false, status: 200, userPath: '/team/alice', keyId: 'master' });
    expect(await repository.findByRequestId('pg-stream')).toMatchObject({ stream: true, status: 200 });
  });

  it('is ready with both dependencies up', async () => {
    const response = await fetch(`${gateway.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up', store: 'redis' } } });
  });

  it('stays ready but reports degraded when Redis goes away, and keeps serving', async () => {
    redisProxy.sever();
    const response = await fetch(`${gateway.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'degraded', details: { redis: { status: 'degraded' } } });
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'still here?' }] })).resolves.toBeDefined();
  });

  it('answers 503 not ready when the database goes away, while liveness stays 200', async () => {
    pgProxy.sever();
    const ready = await fetch(`${gateway.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', details: { database: { status: 'down' } } });
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });
});
