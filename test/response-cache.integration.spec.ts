import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import OpenAI from 'openai';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const UPSTREAM_KEY = 'sk-cache-replicas';

/** Two gateways in one process on one Redis (one REDIS_KEY_PREFIX per run), as two replicas behind a balancer. */
describe('response cache shared by two replicas on Redis', () => {
  const prefix = `sy-test-cache-${randomUUID()}:`;
  let upstream: FakeOpenAIUpstream;
  let a: TestGateway;
  let b: TestGateway;
  let redis: Redis;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start({ apiKey: UPSTREAM_KEY, models: ['gpt-4o-mini'] });
    // Shared scope: the replicas are called with the master key, but the point is that no per-process state is involved.
    const env = { CACHE_ENABLED: 'true', CACHE_COMPRESS_THRESHOLD: '256', REDIS_URL, REDIS_KEY_PREFIX: prefix, OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: upstream.baseUrl };
    a = await startTestGateway(env);
    b = await startTestGateway(env);
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await upstream?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  beforeEach(() => upstream.reset());

  const clientOf = (gateway: TestGateway) => new OpenAI({ apiKey: TEST_MASTER_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  const chatCalls = () => upstream.requests.filter((request) => request.path === '/v1/chat/completions').length;
  const body = (content: string) => ({ model: 'openai/gpt-4o-mini', temperature: 0, messages: [{ role: 'user' as const, content }] });

  async function stored(): Promise<string[]> {
    for (let tries = 0; tries < 50; tries++) {
      const keys = await redis.keys(`${prefix}rcache:e:*`);
      if (keys.length > 0) return keys;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return [];
  }

  it('serves from one replica an entry the other wrote, gzipped in Redis above the threshold', async () => {
    upstream.setDefault({ kind: 'ok', content: 'long answer '.repeat(100) });
    try {
      const request = body(`replicas ${randomUUID()}`);
      const first = await clientOf(a).chat.completions.create(request).withResponse();
      expect(first.response.headers.get('x-switchyard-cache')).toBe('MISS');
      const keys = await stored();
      expect(keys).toHaveLength(1);
      expect((await redis.get(keys[0]))!.startsWith('z:')).toBe(true);
      const second = await clientOf(b).chat.completions.create(request).withResponse();
      expect(second.response.headers.get('x-switchyard-cache')).toBe('HIT');
      expect(second.data).toEqual(first.data);
      expect(chatCalls()).toBe(1);
      expect(await redis.smembers(`${prefix}rcache:models`)).toContain('openai/gpt-4o-mini');
    } finally {
      upstream.setDefault({ kind: 'ok' });
    }
  });

  it('coalesces identical concurrent misses across replicas with the Redis lock', async () => {
    upstream.setDefault({ kind: 'slow-first-byte', delayMs: 300 });
    try {
      const request = body(`lock ${randomUUID()}`);
      const answers = await Promise.all([a, b, a, b, b, a].map((gateway) => clientOf(gateway).chat.completions.create(request)));
      expect(chatCalls()).toBe(1);
      expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    } finally {
      upstream.setDefault({ kind: 'ok' });
    }
  });
});
