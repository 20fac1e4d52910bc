import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { adminQuery, TEST_DATABASE_URL } from '../libs/storage/test/test-databases';
import { fixedPricingYaml } from './support/fixed-pricing';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';
import { HandlerUpstream, sendJsonReply } from './support/handler-upstream';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis';

const PRICING = fixedPricingYaml(['openai/gpt-4o-mini']);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// The true cost of every call: 5 input + 2 × 5 output = 15 micro-USD, below any reservation.
const COMPLETION = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
};

async function fakeUpstream(): Promise<HandlerUpstream> {
  const upstream = await HandlerUpstream.start();
  upstream.handle = (request, res) => {
    if (request.path.endsWith('/models')) sendJsonReply(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] });
    else sendJsonReply(res, 200, COMPLETION);
  };
  return upstream;
}

function chat(gateway: TestGateway, userPath: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json', 'x-switchyard-user-path': userPath },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 20 }),
  });
}

async function putBudget(gateway: TestGateway, userPath: string, amount: number): Promise<void> {
  const response = await fetch(`${gateway.url}/admin/budgets`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user_path: userPath, period: 'monthly', amount_micros: amount }),
  });
  expect(response.status).toBe(200);
}

async function spentOf(gateway: TestGateway, userPath: string): Promise<number> {
  const list = (await (await fetch(`${gateway.url}/admin/budgets`, { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } })).json()) as {
    data: { user_path: string; spent_micros: number }[];
  };
  return list.data.find((budget) => budget.user_path === userPath)!.spent_micros;
}

const env = (upstream: HandlerUpstream, extra: Record<string, string>) => ({
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: `${upstream.origin}/v1`,
  OPENAI_MODELS: 'gpt-4o-mini',
  UPSTREAM_MAX_RETRIES: '0',
  BUDGET_SPEND_FLUSH_INTERVAL: '50ms',
  ...extra,
});

describe('Redis down: limits fail open, budgets fail closed, spend survives a Redis restart', () => {
  let redis: PrivateRedis;
  let upstream: HandlerUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    upstream = await fakeUpstream();
    gateway = await startTestGateway(env(upstream, { REDIS_URL: redis.url, RATE_LIMITS: 'user:/out rpm=1000' }), { routingYaml: PRICING });
  }, 30_000);
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await redis?.kill();
  }, 30_000);

  it('serves rate-limited traffic, refuses budgeted traffic with a 503 in dialect, and resumes from the durable spend', async () => {
    await putBudget(gateway, '/out/budget', 1_000_000);
    expect((await chat(gateway, '/out/free')).status).toBe(200);
    expect((await chat(gateway, '/out/budget')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the spend journal's flush
    expect(await spentOf(gateway, '/out/budget')).toBe(15);

    await redis.kill();
    const started = Date.now();
    expect((await chat(gateway, '/out/free')).status).toBe(200);
    const refused = await chat(gateway, '/out/budget');
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('budget_unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);

    await redis.restart();
    let status = 0;
    for (let tries = 0; tries < 100 && status !== 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await chat(gateway, '/out/budget')).status;
    }
    expect(status).toBe(200);
    // The empty Redis was seeded from budget_spend: the spend before the outage is still counted.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await spentOf(gateway, '/out/budget')).toBe(30);
  }, 60_000);
});

describe('a budget across two gateway replicas on one PostgreSQL and one Redis', () => {
  const database = `sy_budget_${randomBytes(5).toString('hex')}`;
  const prefix = `sy-test-budget-${randomUUID()}:`;
  let upstream: HandlerUpstream;
  const gateways: TestGateway[] = [];

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    await upstream?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    const raw = new Redis(REDIS_URL);
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await raw.quit();
  }, 60_000);

  it('is never exceeded by settled spend under 40 concurrent clients', async () => {
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    upstream = await fakeUpstream();
    const shared = env(upstream, { DATABASE_URL: url.toString(), REDIS_URL, REDIS_KEY_PREFIX: prefix, BUDGET_REFRESH_INTERVAL: '100ms' });
    gateways.push(await startTestGateway(shared, { routingYaml: PRICING }));
    gateways.push(await startTestGateway({ ...shared, RUN_MIGRATIONS: 'false' }, { routingYaml: PRICING }));
    const budget = 3_000;
    await putBudget(gateways[0], '/shared', budget);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the other replica re-reads the definitions
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, id) => {
        while (next < 400) {
          const n = next++;
          const response = await chat(gateways[(n + id) % 2], `/shared/u${id}`);
          await response.arrayBuffer();
          statuses.push(response.status);
        }
      }),
    );
    const served = statuses.filter((status) => status === 200).length;
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(served * 15).toBeLessThanOrEqual(budget);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const spent = await spentOf(gateways[1], '/shared');
    expect(spent).toBe(served * 15);
    expect(spent).toBeLessThanOrEqual(budget);
  }, 90_000);
});
