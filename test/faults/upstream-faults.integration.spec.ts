import { readdirSync, readlinkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenAIUpstream } from '../support/fake-upstream';
import { type GatewayProcess, startGatewayProcess } from '../support/gateway-process';

const KEY = 'sy-faults-key';

/** The gateway process's open sockets, counted from /proc (what a leak would grow). */
function socketsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false; // closed while we looked
    }
  }).length;
}

async function until(probe: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Opens a chat stream, waits for its first bytes, then drops the connection as a leaving client does. */
function openAndDrop(gateway: GatewayProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
    const req = httpRequest(
      `${gateway.url}/v1/chat/completions`,
      { method: 'POST', agent: false, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      },
    );
    req.on('error', () => undefined);
    req.end(body);
  });
}

describe('fault matrix: upstream side, on the built gateway process', () => {
  let dataDir: string;
  let openai: FakeOpenAIUpstream;
  let groq: FakeOpenAIUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchyard-faults-'));
    writeFileSync(join(dataDir, 'switchyard.yaml'), 'aliases:\n  resilient:\n    targets: [openai/gpt-4o]\n    fallbacks: [groq/gpt-4o-mini]\n');
    openai = await FakeOpenAIUpstream.start({ recordRequests: false, models: ['gpt-4o', 'gpt-4o-mini'] });
    groq = await FakeOpenAIUpstream.start({ recordRequests: false, models: ['gpt-4o-mini'] });
    gateway = await startGatewayProcess({
      DATA_DIR: dataDir,
      SWITCHYARD_CONFIG: join(dataDir, 'switchyard.yaml'),
      SWITCHYARD_MASTER_KEY: KEY,
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: openai.baseUrl,
      GROQ_API_KEY: 'g',
      GROQ_BASE_URL: groq.baseUrl,
      HTTP_FIRST_BYTE_TIMEOUT: '500ms',
      UPSTREAM_MAX_RETRIES: '0',
      CIRCUIT_BREAKER_THRESHOLD: '100000',
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await openai?.close();
    await groq?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('client disconnects mid-stream x100: every upstream request is aborted, sockets return to baseline', async () => {
    const pid = gateway.child.pid!;
    // Warm up (pools, timers), then take the baseline with nothing in flight.
    openai.setDefault({ kind: 'ok' });
    await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    await until(
      () => openai.openSockets <= 1,
      10_000,
      () => 'the warm-up to settle',
    );
    const baseline = socketsOf(pid);
    const abortedBefore = openai.abortedResponses;

    // Streams that would run ~60 s each.
    openai.setDefault({ kind: 'ok', content: 'word '.repeat(300), eventDelayMs: 200 });
    for (let batch = 0; batch < 5; batch++) await Promise.all(Array.from({ length: 20 }, () => openAndDrop(gateway)));

    await until(
      () => openai.abortedResponses - abortedBefore === 100,
      30_000,
      () => `100 upstream aborts (saw ${openai.abortedResponses - abortedBefore})`,
    );
    // The upstream pool may keep idle keep-alive connections, at most one batch's concurrency (20);
    // a leak would leave one per dropped stream (100) on both sides.
    await until(
      () => openai.openSockets <= 21,
      30_000,
      () => `upstream sockets to close (${openai.openSockets} open)`,
    );
    await until(
      () => socketsOf(pid) <= baseline + 20,
      30_000,
      () => `gateway sockets back to baseline ${baseline} + pooled (now ${socketsOf(pid)})`,
    );
  }, 120_000);

  it('upstream slow-loris (headers after 2 min): first-byte timeout, then failover to the configured fallback', async () => {
    openai.setDefault({ kind: 'slow-first-byte', delayMs: 120_000 });
    groq.setDefault({ kind: 'ok', content: 'from the fallback' });
    const ask = (model: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }),
      });
    const startedAt = Date.now();
    const failedOver = await ask('resilient');
    expect(failedOver.status).toBe(200);
    expect(failedOver.headers.get('x-switchyard-provider')).toBe('groq');
    expect(((await failedOver.json()) as { choices: { message: { content: string } }[] }).choices[0].message.content).toBe('from the fallback');
    expect(Date.now() - startedAt).toBeLessThan(30_000); // not the upstream's 2 minutes
    // Without a fallback, the client gets the gateway's 504 at the first-byte timeout.
    const timedOut = await ask('openai/gpt-4o');
    expect(timedOut.status).toBe(504);
    expect(await timedOut.json()).toMatchObject({ error: { type: expect.any(String) } });
  }, 120_000);
});
