import { Agent, get as httpGet, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { FakeOpenAIUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_MASTER_KEY, type TestGateway } from './support/gateway-harness';

const OPENAI_KEY = 'sk-openai-upstream';

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** POSTs a raw body and resolves with the answer; `sent` fires once the whole body is on the wire. */
function post(url: string, body: string, headers: Record<string, string>, sent: () => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: text }));
    });
    request.on('error', reject);
    request.end(body, sent);
  });
}

const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });

/** Latency of one GET /health, in milliseconds (kept-alive, so it measures the server, not TCP). */
function healthLatency(url: string): Promise<number> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    httpGet(`${url}/health`, { agent: probeAgent }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve(performance.now() - startedAt) : reject(new Error(`/health answered ${response.statusCode}`))));
    }).on('error', reject);
  });
}

/**
 * Runs `work` and, from the moment its body is sent until it answers, probes /health back to back.
 * Returns the answer and every probe latency measured while the work was in progress.
 */
async function probeHealthDuring(url: string, work: (sent: () => void) => Promise<Answer>): Promise<{ answer: Answer; latencies: number[] }> {
  const latencies: number[] = [];
  let done = false;
  let probing: Promise<void> = Promise.resolve();
  const answer = work(() => {
    probing = (async () => {
      while (!done) {
        const latency = await healthLatency(url);
        if (!done) latencies.push(latency);
      }
    })();
  }).finally(() => (done = true));
  const result = await answer;
  await probing;
  return { answer: result, latencies };
}

/** A JSON body of exactly `size` bytes whose one user message is a run of "a". */
function bodyOfSize(size: number, shape: (text: string) => object): string {
  const overhead = JSON.stringify(shape('')).length;
  return JSON.stringify(shape('a'.repeat(size - overhead)));
}

describe('local token counts never freeze the gateway', () => {
  let upstream: FakeOpenAIUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await FakeOpenAIUpstream.start({ apiKey: OPENAI_KEY });
    // groq is OpenAI-compatible without a native Responses API, so input_tokens is estimated too.
    gateway = await startTestGateway({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: upstream.baseUrl, GROQ_API_KEY: OPENAI_KEY, GROQ_BASE_URL: upstream.baseUrl });
  });

  afterAll(async () => {
    probeAgent.destroy();
    await gateway?.close();
    await upstream?.close();
  });

  it.each([
    ['/v1/messages/count_tokens', (text: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] }), 'input_tokens'],
    ['/v1/responses/input_tokens', (text: string) => ({ model: 'groq/gpt-4o-mini', input: text }), 'input_tokens'],
  ] as const)(
    'keeps /health answering (95 % within 100 ms, none over 1 s) while %s counts a body at the size limit full of "a"',
    async (path, shape, field) => {
      const body = bodyOfSize(gateway.config.bodySizeLimit, shape);
      expect(Buffer.byteLength(body)).toBe(gateway.config.bodySizeLimit);
      const { answer, latencies } = await probeHealthDuring(gateway.url, (sent) => post(`${gateway.url}${path}`, body, { authorization: `Bearer ${TEST_MASTER_KEY}` }, sent));

      expect(answer.status).toBe(200);
      // Eight a's are one token in o200k; the run is bounded into pieces, so the count stays exact.
      const tokens = (JSON.parse(answer.body) as Record<string, number>)[field];
      expect(tokens).toBeGreaterThan(gateway.config.bodySizeLimit / 8 - 100);
      expect(tokens).toBeLessThan(gateway.config.bodySizeLimit / 8 + 100);
      // The count takes seconds; health must keep answering throughout. On a shared 2-core CI box
      // one probe in twenty may lose its core to another process, and the first one waits for the
      // 10 MB JSON.parse, which any route pays; before the fix the loop froze for minutes.
      const sorted = [...latencies].sort((a, b) => a - b);
      expect(latencies.length).toBeGreaterThanOrEqual(20);
      expect(sorted[Math.floor(sorted.length * 0.95)]).toBeLessThan(100);
      expect(sorted[sorted.length - 1]).toBeLessThan(1_000);
    },
    120_000,
  );
});
