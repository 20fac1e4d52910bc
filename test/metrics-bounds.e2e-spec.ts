import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const AUTH = { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' };
const DISTINCT_MODELS = 5_000;
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** POSTs JSON and resolves with the status once the answer has been read. */
function postJson(url: string, body: object): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', agent, headers: { ...AUTH, 'content-length': Buffer.byteLength(text) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    request.on('error', reject);
    request.end(text);
  });
}

/** Runs `task(i)` for i in [0, count) with a bounded number in flight. */
async function runAll(count: number, task: (i: number) => Promise<unknown>, concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A port nothing listens on: a provider there has no catalogue, so the router trusts any model. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

function modelLabels(metrics: string): Set<string> {
  return new Set([...metrics.matchAll(/[{,]model="([^"]*)"/g)].map((match) => match[1]));
}

describe('/metrics label values stay bounded whatever clients send', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start({ apiKey: 'k' });
    gateway = await startTestGateway({
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: upstream.baseUrl,
      // A self-hosted provider whose listing fails: chat passes `ollama/<anything>` through.
      OLLAMA_BASE_URL: `http://127.0.0.1:${await deadPort()}`,
      UPSTREAM_MAX_RETRIES: '0',
    });
  });

  afterAll(async () => {
    agent.destroy();
    await gateway?.close();
    await upstream?.close();
  });

  it(`keeps model labels to the inventory (+ "other") after ${DISTINCT_MODELS} distinct models through passthrough and chat`, async () => {
    const messages = [{ role: 'user', content: 'hi' }];
    expect(await postJson(`${gateway.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages })).toBe(200);
    await runAll(DISTINCT_MODELS, (i) => postJson(`${gateway.url}/p/openai/v1/chat/completions`, { model: `client-model-${i}`, messages }));
    await runAll(DISTINCT_MODELS, (i) => postJson(`${gateway.url}/v1/chat/completions`, { model: `ollama/client-model-${i}`, messages }));

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const models = modelLabels(metrics);
    // The openai inventory is the fake's two models; ollama has none.
    expect(models.size).toBeLessThanOrEqual(2 + 1);
    expect(models).toContain('gpt-4o-mini');
    expect(models).toContain('other');
    expect(metrics).toMatch(/switchyard_upstream_requests_total\{provider="openai",model="other",status="\d+"\} \d+/);
    expect(metrics).toMatch(/switchyard_upstream_requests_total\{provider="ollama",model="other",status="error"\} \d+/);
    expect(metrics).not.toContain('client-model-');
    expect(Buffer.byteLength(metrics)).toBeLessThan(200_000);
  }, 300_000);
});

describe('METRICS_AUTH', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ METRICS_AUTH: 'true' });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('answers /metrics only to the master key, in the OpenAI error envelope otherwise', async () => {
    const anonymous = await fetch(`${gateway.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    for (const variant of ['/metrics', '/METRICS', '/metrics/']) {
      expect((await fetch(`${gateway.url}${variant}`, { headers: { authorization: 'Bearer wrong-key' } })).status).toBe(401);
    }
    const scraped = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('switchyard_http_requests_total');
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
  });
});
