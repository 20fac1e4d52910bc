#!/usr/bin/env node
// Soak: N minutes (--minutes, default 10) of mixed traffic against two gateway processes sharing a
// private PostgreSQL database (created and dropped here) and Redis (a private key prefix), with the
// compiled fake upstream (npm run build) in its own process. Prints each gateway's RSS and heap
// every 10 s; exits 1 if RSS keeps growing after warm-up or any usage row is missing.
//   npm run soak -- --minutes 2 [--concurrency 8] [--max-slope 0.5]
// Growth rule: the least-squares slope of RSS over the last two thirds of the samples (the first
// third is warm-up: JIT, pools, caches), in MiB per minute, fails when it is above --max-slope (0.5)
// and more than two standard errors above zero (so GC swings in a short run are not a leak).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { request } from 'undici';
import { freePort, killAllNow, startFakeUpstream, startGateway, stop, stopAll } from './lib/children.mjs';
import { memoryMiB } from './lib/proc-stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '8' }, 'max-slope': { type: 'string', default: '0.5' } },
});
const MINUTES = Number(values.minutes);
const CONCURRENCY = Number(values.concurrency);
const MAX_SLOPE = Number(values['max-slope']);
const SAMPLE_MS = 10_000;
const KEY = 'sy-soak-key';
const ADMIN_URL = process.env.SOAK_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.SOAK_REDIS_URL ?? 'redis://127.0.0.1:6379';

process.on('exit', killAllNow);
process.on('SIGINT', () => process.exit(130));

const { Client } = require('pg');
async function sql(url, text) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** The traffic mix, one request per call: [kind, path, body, expected status]. */
const MIX = [
  ['chat-json', '/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'soak' }] }, 200],
  ['chat-stream', '/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'soak' }], stream: true, stream_options: { include_usage: true } }, 200],
  ['responses', '/v1/responses', { model: 'groq/gpt-4o-mini', input: 'soak' }, 200],
  ['responses-stream', '/v1/responses', { model: 'groq/gpt-4o-mini', input: 'soak', stream: true }, 200],
  ['messages', '/v1/messages', { model: 'groq/gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'soak' }] }, 200],
  ['messages-stream', '/v1/messages', { model: 'groq/gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'soak' }], stream: true }, 200],
  ['error-400', '/v1/chat/completions', { model: 'gpt-4o-mini', messages: 'not a list' }, 400],
  ['error-404', '/v1/chat/completions', { model: 'nope/unknown-model', messages: [{ role: 'user', content: 'x' }] }, 404],
];

/** Least-squares slope of y over x and its standard error (GC makes single RSS samples swing ±30 MiB). */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (den === 0 || n < 3) return { perMinute: 0, se: Infinity };
  const perMinute = num / den;
  const residuals = points.reduce((s, [x, y]) => s + (y - my - perMinute * (x - mx)) ** 2, 0);
  return { perMinute, se: Math.sqrt(residuals / (n - 2) / den) };
}

async function heapMiB(origin) {
  try {
    const { body } = await request(`${origin}/metrics`, { headers: { authorization: `Bearer ${KEY}` } });
    const text = await body.text();
    const match = /^nodejs_heap_size_used_bytes (\S+)/m.exec(text);
    return match ? Number(match[1]) / 1024 / 1024 : null;
  } catch {
    return null;
  }
}

async function main() {
  const database = `sy_soak_${randomBytes(5).toString('hex')}`;
  const prefix = `sy-soak-${randomBytes(5).toString('hex')}:`;
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-soak-'));
  await sql(ADMIN_URL, `CREATE DATABASE ${database}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${database}`;
  let failed = false;
  try {
    const upstream = await startFakeUpstream({ script: resolve(here, 'fake-upstream-server.mjs'), entry: resolve(here, '../dist/test/support/fake-upstream/index.js') });
    const entry = resolve(here, '../dist/apps/gateway/src/main.js');
    const env = {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      SWITCHYARD_MASTER_KEY: KEY,
      OPENAI_API_KEY: 'k',
      OPENAI_BASE_URL: upstream.baseUrl,
      GROQ_API_KEY: 'k',
      GROQ_BASE_URL: upstream.baseUrl,
      LOG_LEVEL: 'warn',
      METRICS_AUTH: 'false',
    };
    const gateways = [];
    for (const index of [0, 1]) {
      const port = await freePort();
      // The second replica finds the schema migrated by the first.
      gateways.push(await startGateway({ entry, port, env: { ...env, PORT: String(port), RUN_MIGRATIONS: index === 0 ? 'true' : 'false' } }));
    }
    console.log(`soak: ${MINUTES} min, ${CONCURRENCY} clients, gateways pid ${gateways.map((g) => g.pid).join(' and ')}, database ${database}`);

    const answered = new Map(MIX.map(([kind]) => [kind, 0]));
    const unexpected = [];
    let sent = 0;
    const endAt = Date.now() + MINUTES * 60_000;
    const client = async (worker) => {
      while (Date.now() < endAt) {
        const n = sent++;
        const [kind, path, body, expected] = MIX[n % MIX.length];
        const gateway = gateways[(n + worker) % 2];
        try {
          const response = await request(`${gateway.origin}${path}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${KEY}`,
              'x-api-key': KEY,
              'content-type': 'application/json',
              'anthropic-version': '2023-06-01',
              'x-request-id': `soak-${kind}-${n}`,
            },
            body: JSON.stringify(body),
          });
          await response.body.text();
          if (response.statusCode === expected) answered.set(kind, answered.get(kind) + 1);
          else if (unexpected.length < 20) unexpected.push(`${kind}: ${response.statusCode}`);
        } catch (error) {
          if (unexpected.length < 20) unexpected.push(`${kind}: ${error.code ?? error.message}`);
        }
      }
    };
    const samples = gateways.map(() => []);
    const startedAt = Date.now();
    const sampler = setInterval(async () => {
      const t = (Date.now() - startedAt) / 60_000;
      const line = [];
      for (const [i, gateway] of gateways.entries()) {
        const { rss } = memoryMiB(gateway.pid);
        const heap = await heapMiB(gateway.origin);
        samples[i].push([t, rss]);
        line.push(`gw${i} rss ${rss?.toFixed(1)} MiB heap ${heap?.toFixed(1)} MiB`);
      }
      console.log(`t=${(t * 60).toFixed(0)}s sent=${sent} ${line.join(' | ')}`);
    }, SAMPLE_MS);
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)));
    clearInterval(sampler);
    for (const gateway of gateways) await stop(gateway.child, 30_000); // final usage flush
    await stop(upstream.child);

    const totalAnswered = [...answered.values()].reduce((a, b) => a + b, 0);
    const byKind = new Map();
    for (const { request_id: id } of await sql(dbUrl.toString(), "SELECT request_id FROM usage_records WHERE request_id LIKE 'soak-%'")) {
      const kind = /^soak-(.+)-\d+$/.exec(id)[1];
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    const kindOf = (kind) => byKind.get(kind) ?? 0;
    console.log(`requests sent ${sent}, answered as expected ${totalAnswered}; unexpected: ${unexpected.length ? unexpected.join(', ') : 'none'}`);
    let rowsTotal = 0;
    for (const [kind, n] of answered) {
      const got = kindOf(kind);
      rowsTotal += got;
      console.log(`  ${kind.padEnd(17)} answered ${String(n).padStart(7)}  usage rows ${String(got).padStart(7)}${got === n ? '' : '  MISMATCH'}`);
      if (got !== n) failed = true;
    }
    if (unexpected.length) failed = true;
    for (const [i, points] of samples.entries()) {
      const tail = points.slice(Math.floor(points.length / 3)).filter(([, y]) => y !== null);
      const { perMinute, se } = slope(tail);
      // Growing = above the limit AND above noise (more than two standard errors from flat).
      const growing = perMinute > MAX_SLOPE && perMinute > 2 * se;
      console.log(
        `gw${i}: RSS slope over the last two thirds ${perMinute.toFixed(2)} ± ${se.toFixed(2)} MiB/min (limit ${MAX_SLOPE} and 2 SE) → ${growing ? 'GROWING' : 'flat'}; samples ${points.map(([, y]) => y?.toFixed(0)).join(' ')}`,
      );
      if (growing) failed = true;
    }
    console.log(`usage rows ${rowsTotal} for ${totalAnswered} answered requests → ${failed ? 'FAIL' : 'PASS'}`);
  } finally {
    await stopAll();
    await sql(ADMIN_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    const Redis = require('ioredis');
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
  process.exit(failed ? 1 : 0);
}

await main();
