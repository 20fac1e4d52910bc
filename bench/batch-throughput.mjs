#!/usr/bin/env node
// Emulated batch throughput: one batch of N chat items against the zero-latency fake upstream,
// run by the built gateway in-process (SQLite, default) or by one worker process on PostgreSQL +
// Redis (--database-url, --redis-url). Reports items per second from creation to `completed`.
//   npm run build && node bench/batch-throughput.mjs [--items 10000] [--concurrency 32]
//     [--database-url postgres://…/db --redis-url redis://127.0.0.1:6379]
// With --chat-load-seconds S it also measures what a running batch does to the gateway's own request
// path: S seconds of chat JSON load (32 connections) before the batch, then S seconds while it runs,
// reporting req/s, p50 and the gateway's CPU µs per request for both (use enough --items that the
// batch outlasts the second run; the report says whether it did).
// Not part of the test suite.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { freePort, killAllNow, startFakeUpstream, startGateway, stopAll } from './lib/children.mjs';
import { runLoad, warmUp } from './lib/load.mjs';
import { cpuPerRequest, cpuSnapshot } from './lib/proc-stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MASTER_KEY = 'sk-switchyard-bench-master';
const UPSTREAM_KEY = 'sk-bench-upstream';
const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    'database-url': { type: 'string' },
    'redis-url': { type: 'string' },
    'chat-load-seconds': { type: 'string', default: '0' },
  },
});
const items = Number(values.items);
const chatLoadSeconds = Number(values['chat-load-seconds']);
const CHAT_REQUEST = {
  method: 'POST',
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` },
  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }] }),
};

/** One chat load run against the gateway: req/s, p50 and the gateway's (and worker's) CPU per request. */
async function chatLoad(origin, pids) {
  const before = cpuSnapshot(pids);
  const load = await runLoad({ origin, request: CHAT_REQUEST, connections: 32, durationS: chatLoadSeconds });
  const cpu = cpuPerRequest(before, cpuSnapshot(pids), load.requests);
  return { rps: Math.round(load.rps), p50Ms: Number(load.latencyMs.p50.toFixed(2)), gatewayCpuUsPerRequest: Math.round(cpu.gateway), non2xx: load.non2xx + load.errors };
}

async function api(origin, method, path, body) {
  const { statusCode, body: stream } = await request(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await stream.json();
  if (statusCode >= 400) throw new Error(`${method} ${path} → ${statusCode}: ${JSON.stringify(json)}`);
  return json;
}

function startWorker(env) {
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/worker/src/main.js')], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolveChild, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes('Switchyard worker started')) {
        clearTimeout(timer);
        resolveChild(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-batch-bench-'));
  process.on('exit', () => {
    killAllNow();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const upstream = await startFakeUpstream({
    script: join(ROOT, 'bench/fake-upstream-server.mjs'),
    entry: join(ROOT, 'dist/test/support/fake-upstream/index.js'),
    apiKey: UPSTREAM_KEY,
  });
  const port = await freePort();
  const shared = values['redis-url'] ? { REDIS_URL: values['redis-url'], REDIS_KEY_PREFIX: `switchyard-batch-bench-${process.pid}:`, DATABASE_URL: values['database-url'] } : {};
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    SWITCHYARD_MASTER_KEY: MASTER_KEY,
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: upstream.baseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    BATCH_MODE: 'emulate',
    BATCH_CONCURRENCY: values.concurrency,
    WORKER_HTTP_PORT: '0',
    ...Object.fromEntries(Object.entries(shared).filter(([, value]) => value !== undefined)),
  };
  const gateway = await startGateway({ entry: join(ROOT, 'dist/apps/gateway/src/main.js'), env, cwd: ROOT, port });
  const worker = values['redis-url'] ? await startWorker(env) : undefined;
  const requests = Array.from({ length: items }, (_, i) => ({
    custom_id: `r-${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `item ${i}` }] },
  }));
  const pids = { gateway: gateway.pid };
  let chatBefore;
  if (chatLoadSeconds > 0) {
    await warmUp({ origin: gateway.origin, request: CHAT_REQUEST, connections: 32, durationS: 2 });
    chatBefore = await chatLoad(gateway.origin, pids);
  }
  const started = performance.now();
  const created = await api(gateway.origin, 'POST', '/v1/batches', { endpoint: '/v1/chat/completions', completion_window: '24h', requests });
  const accepted = performance.now();
  let chatDuring;
  if (chatLoadSeconds > 0) {
    chatDuring = await chatLoad(gateway.origin, pids);
    const { status } = await api(gateway.origin, 'GET', `/v1/batches/${created.id}`);
    chatDuring.batchStillRunningAtEnd = !['completed', 'failed', 'expired', 'cancelled'].includes(status);
  }
  let batch = created;
  while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
    await new Promise((r) => setTimeout(r, 100));
    batch = await api(gateway.origin, 'GET', `/v1/batches/${created.id}`);
  }
  const finished = performance.now();
  const seconds = (finished - accepted) / 1000;
  console.log(
    JSON.stringify({
      mode: worker ? 'worker (PostgreSQL + Redis)' : 'embedded (SQLite, in-process)',
      items,
      status: batch.status,
      request_counts: batch.request_counts,
      createMs: Math.round(accepted - started),
      runSeconds: Number(seconds.toFixed(2)),
      itemsPerSecond: Math.round(items / seconds),
      ...(chatBefore && {
        chatWithoutBatch: chatBefore,
        chatDuringBatch: chatDuring,
        rpsChangePercent: Number((((chatDuring.rps - chatBefore.rps) / chatBefore.rps) * 100).toFixed(1)),
        cpuPerRequestChangePercent: Number((((chatDuring.gatewayCpuUsPerRequest - chatBefore.gatewayCpuUsPerRequest) / chatBefore.gatewayCpuUsPerRequest) * 100).toFixed(1)),
      }),
    }),
  );
  worker?.kill('SIGTERM');
  await stopAll();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
