import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import { StoredResponseEntity } from '@app/storage';
import { adminQuery, TEST_DATABASE_URL } from '../libs/storage/test/test-databases';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis';

const SERVICE_UNAVAILABLE = { error: { message: expect.any(String), type: 'service_unavailable', param: null, code: expect.any(String) } };

async function call(gateway: TestGateway, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; ms: number }> {
  const startedAt = Date.now();
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), ms: Date.now() - startedAt };
}

describe('Redis down: a background response answers 503 and leaves no row behind', () => {
  let redis: PrivateRedis;
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    upstream = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: ['llama-3.3-70b'] });
    gateway = await startTestGateway({ REDIS_URL: redis.url, GROQ_API_KEY: 'gk', GROQ_BASE_URL: upstream.baseUrl });
  });

  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await redis?.kill();
  }, 30_000);

  it('queues while Redis is up; after Redis dies it answers 503 in the OpenAI envelope within seconds', async () => {
    const client = new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const queued = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'Before the outage', background: true });
    expect(queued.status).toBe('queued');
    const rows = gateway.app.get(DataSource).getRepository(StoredResponseEntity);
    expect(await rows.count()).toBe(1);

    await redis.kill();
    const answer = await call(gateway, 'POST', '/v1/responses', { model: 'groq/llama-3.3-70b', input: 'During the outage', background: true });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual(SERVICE_UNAVAILABLE);
    expect(answer.ms).toBeLessThan(15_000);
    // The client never learned an id: a row left queued would be an orphan nobody polls.
    expect((await rows.find()).map((row) => row.id)).toEqual([queued.id]);
  }, 60_000);
});

describe('Redis unresponsive: a background response answers 503 within the enqueue bound, not never', () => {
  let redis: PrivateRedis;
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    upstream = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: ['llama-3.3-70b'] });
    gateway = await startTestGateway({ REDIS_URL: redis.url, GROQ_API_KEY: 'gk', GROQ_BASE_URL: upstream.baseUrl });
  });

  afterAll(async () => {
    await redis?.kill();
    await gateway?.close();
    await upstream?.close();
  }, 30_000);

  it('gives up on a Redis that keeps its connections but never answers', async () => {
    redis.freeze();
    const answer = await call(gateway, 'POST', '/v1/responses', { model: 'groq/llama-3.3-70b', input: 'Frozen Redis', background: true });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual(SERVICE_UNAVAILABLE);
    expect(answer.ms).toBeLessThan(20_000);
    expect(await gateway.app.get(DataSource).getRepository(StoredResponseEntity).count()).toBe(0);
  }, 60_000);
});

describe('PostgreSQL down: conversations and stored-response routes answer 503, then recover', () => {
  const database = `sy_outage_${randomBytes(6).toString('hex')}`;
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;

  const allowConnections = async (allowed: boolean) => {
    await adminQuery(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS ${allowed}`);
    if (!allowed) await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}'`);
  };

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE "${database}"`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    upstream = await FakeOpenAIUpstream.start({ apiKey: 'gk', models: ['llama-3.3-70b'] });
    gateway = await startTestGateway({ DATABASE_URL: url.toString(), GROQ_API_KEY: 'gk', GROQ_BASE_URL: upstream.baseUrl });
  }, 60_000);

  afterAll(async () => {
    await allowConnections(true).catch(() => undefined);
    await gateway?.close();
    await upstream?.close();
    await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }, 60_000);

  it('maps the outage to 503 in the OpenAI envelope on every storage-backed route, and works again after', async () => {
    const conversation = await call(gateway, 'POST', '/v1/conversations', { metadata: { topic: 'outage' } });
    expect(conversation.status).toBe(200);
    const conversationId = (conversation.body as { id: string }).id;
    const created = await call(gateway, 'POST', '/v1/responses', { model: 'groq/llama-3.3-70b', input: 'Remember me' });
    expect(created.status).toBe(200);
    const responseId = (created.body as { id: string }).id;
    expect((await call(gateway, 'GET', `/v1/responses/${responseId}`)).status).toBe(200);

    await allowConnections(false);
    const during = [
      await call(gateway, 'GET', `/v1/conversations/${conversationId}`),
      await call(gateway, 'POST', '/v1/conversations', { metadata: { topic: 'lost' } }),
      await call(gateway, 'POST', `/v1/conversations/${conversationId}`, { metadata: { topic: 'changed' } }),
      await call(gateway, 'DELETE', `/v1/conversations/${conversationId}`),
      await call(gateway, 'GET', `/v1/responses/${responseId}`),
      await call(gateway, 'GET', `/v1/responses/${responseId}/input_items`),
      await call(gateway, 'DELETE', `/v1/responses/${responseId}`),
      await call(gateway, 'POST', '/v1/responses', { model: 'groq/llama-3.3-70b', input: 'Continue', previous_response_id: responseId }),
    ];
    for (const answer of during) {
      expect(answer).toMatchObject({ status: 503, body: SERVICE_UNAVAILABLE });
      expect((answer.body as { error: { code: string } }).error.code).toBe('storage_unavailable');
    }

    await allowConnections(true);
    const after = await call(gateway, 'GET', `/v1/conversations/${conversationId}`);
    expect(after).toMatchObject({ status: 200, body: { id: conversationId, metadata: { topic: 'outage' } } });
    expect(await call(gateway, 'GET', `/v1/responses/${responseId}`)).toMatchObject({ status: 200, body: { id: responseId } });
  }, 60_000);
});
