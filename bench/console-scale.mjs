#!/usr/bin/env node
// Operator-console scale benchmark (not a test). Loads usage rows, their rollups and audit
// entries into a dedicated PostgreSQL database (dropped afterwards) and into a SQLite file, boots
// the built gateway on each, and times the admin queries the dashboard makes (p50/p95 over
// repeated runs). Target: each ≤ 100 ms p95 at 5,000,000 usage rows and 1,000,000 audit entries.
//
//   npm run build && node bench/console-scale.mjs                       # full size
//   node bench/console-scale.mjs --usage 500000 --audit 100000 --sqlite-usage 500000 --runs 30
//
// Needs the shared PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test);
// only 127.0.0.1 is contacted.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const Database = require('better-sqlite3');

const { values: args } = parseArgs({
  options: {
    usage: { type: 'string', default: '5000000' },
    audit: { type: 'string', default: '1000000' },
    'sqlite-usage': { type: 'string', default: '500000' },
    runs: { type: 'string', default: '30' },
    'skip-sqlite': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const USAGE = Number(args.usage);
const AUDIT = Number(args.audit);
const SQLITE_USAGE = Number(args['sqlite-usage']);
const RUNS = Number(args.runs);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MASTER = 'bench-console-master-key';
const MAIN = resolve(import.meta.dirname, '../dist/apps/gateway/src/main.js');

// Traffic shape: 20 models over 5 providers, 50 keys used unevenly (the cube of a uniform draw
// puts most traffic on a few keys), 4 user paths per key, 2 % errors, over the last 90 days.
const PG_USAGE = (from, to) => `
  INSERT INTO usage_records (request_id, created_at, provider, model, endpoint, status, stream, input_tokens, output_tokens, cached_tokens, reasoning_tokens, latency_ms, time_to_first_token_ms, key_id, user_path, error_type)
  SELECT 'bench-' || g, now() - random() * interval '90 days', 'provider-' || (g % 20 / 4), 'model-' || (g % 20), '/v1/chat/completions',
    CASE WHEN g % 50 = 0 THEN 502 ELSE 200 END, g % 3 = 0, 100 + g % 900, 20 + g % 400, g % 64, 0, 50 + g % 2000, NULL,
    'key-' || k, 'org/key-' || k || '/user-' || (g % 4), CASE WHEN g % 50 = 0 THEN 'upstream_error' END
  FROM generate_series(${from}, ${to}) g, LATERAL (SELECT floor(power(random(), 3) * 50)::int + (g * 0) AS k) keys`;
const rollupSql = (table, dimensions, hour, cost) => `
  INSERT INTO ${table} (hour, ${dimensions.join(', ')}, requests, errors, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_micros, latency_ms_total)
  SELECT ${hour}, ${dimensions.map((column) => `COALESCE(${column}, '')`).join(', ')}, COUNT(*),
    SUM(CASE WHEN status >= 400 OR error_type IS NOT NULL THEN 1 ELSE 0 END), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(reasoning_tokens),
    ${cost}, SUM(latency_ms)
  FROM usage_records GROUP BY ${['1', ...dimensions.map((_, index) => String(index + 2))].join(', ')}`;
// The daily key grain from the hourly one, cut at UTC midnight (as migration 1797300000000 backfills it).
const dailySql = (day) => `
  INSERT INTO usage_daily_key_rollups (day, key_id, user_path, requests, errors, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_micros, latency_ms_total)
  SELECT ${day}, key_id, user_path, SUM(requests), SUM(errors), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(reasoning_tokens), SUM(cost_micros), SUM(latency_ms_total)
  FROM usage_hourly_key_rollups GROUP BY 1, 2, 3`;
const PG_DAY = "date_trunc('day', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'";
const SQLITE_DAY = "strftime('%Y-%m-%d 00:00:00.000', hour)";
const FINE = ['provider', 'model', 'key_id', 'user_path'];
const COARSE = ['provider', 'model'];
const KEYS = ['key_id', 'user_path'];
const PG_HOUR = "date_trunc('hour', created_at)";
const SQLITE_HOUR = "strftime('%Y-%m-%d %H:00:00.000', created_at)";
// A uuid-shaped id from the row's random hex `h`, as TypeORM's ids are (the keyset cursor checks the shape).
const SQLITE_UUID = "lower(substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12))";
const PG_COST = 'SUM(input_tokens) * 3 + SUM(output_tokens) * 12';
const PG_AUDIT = (from, to) => `
  INSERT INTO audit_entries (created_at, request_id, key_id, user_path, method, route, path, requested_model, provider, model, attempts, status, error_type, stream, latency_ms, client_ip)
  SELECT now() - random() * interval '90 days', 'bench-audit-' || g, 'key-' || floor(power(random(), 3) * 50)::int, 'org/user-' || (g % 200), 'POST', '/v1/chat/completions',
    '/v1/chat/completions', 'model-' || (g % 20), 'provider-' || (g % 20 / 4), 'model-' || (g % 20), '["provider-' || (g % 20 / 4) || '/model-' || (g % 20) || '"]',
    CASE WHEN g % 50 = 0 THEN 502 ELSE 200 END, CASE WHEN g % 50 = 0 THEN 'upstream_error' END, g % 3 = 0, 50 + g % 2000, '10.0.0.' || (g % 250)
  FROM generate_series(${from}, ${to}) g`;

/** The dashboard's queries, as HTTP calls to the gateway. */
const QUERIES = [
  ['summary (30 days)', '/admin/usage/summary?days=30'],
  ['daily (90 days, tz)', '/admin/usage/daily?days=90&tz=Europe/Berlin'],
  ['by model (30 days)', '/admin/usage/models?days=30'],
  ['by key (30 days)', '/admin/usage/keys?days=30'],
  ['by user path (30 days)', '/admin/usage/user-paths?days=30'],
  ['usage log page: model + errors', '/admin/usage/log?model=model-7&status=error&limit=50'],
  ['usage log page: key, 2nd page', null],
  ['audit log page: key + provider', '/admin/audit/log?key_id=key-3&limit=50'],
  ['audit log page: errors', '/admin/audit/log?status=error&limit=50'],
];

function log(message) {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

async function timed(label, work) {
  const started = performance.now();
  await work();
  log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function startGateway(env) {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-console-bench-'));
  const child = spawn(process.execPath, [MAIN], {
    cwd: dataDir,
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', SWITCHYARD_MASTER_KEY: MASTER, LOG_LEVEL: 'info', DATA_DIR: dataDir, MOCK_PROVIDER: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logFile = createWriteStream(join(tmpdir(), `switchyard-console-bench-${child.pid}.log`));
  child.stderr.pipe(logFile);
  const port = await new Promise((resolvePort, reject) => {
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const match = /"port":(\d+)|listening[^\n]*:(\d+)/i.exec(text);
      if (match) resolvePort(Number(match[1] ?? match[2]));
    });
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}) before listening:\n${text.slice(-2000)}`)));
  });
  child.stdout.pipe(logFile);
  const exited = new Promise((done) => child.once('exit', done));
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

async function measure(url) {
  const results = [];
  const first = await (await fetch(`${url}/admin/usage/log?key_id=key-0&limit=50`, { headers: { authorization: `Bearer ${MASTER}` } })).json();
  for (const [name, path] of QUERIES) {
    const target = path ?? `/admin/usage/log?key_id=key-0&limit=50&cursor=${first.next_cursor}`;
    const times = [];
    for (let run = 0; run < RUNS + 2; run++) {
      const started = performance.now();
      const response = await fetch(`${url}${target}`, { headers: { authorization: `Bearer ${MASTER}` } });
      const body = await response.json();
      if (response.status !== 200) throw new Error(`${name}: ${response.status} ${JSON.stringify(body)}`);
      if (run >= 2) times.push(performance.now() - started); // two warm-up runs
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
    results.push({ query: name, p50_ms: +at(0.5).toFixed(1), p95_ms: +at(0.95).toFixed(1), max_ms: +times[times.length - 1].toFixed(1) });
  }
  return results;
}

async function postgres() {
  const name = `switchyard_console_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let gateway;
  const db = new Client({ connectionString: url.toString() });
  try {
    gateway = await startGateway({ DATABASE_URL: url.toString() });
    await db.connect();
    const chunk = 1_000_000;
    await timed(`PostgreSQL: ${USAGE} usage rows`, async () => {
      for (let from = 1; from <= USAGE; from += chunk) await db.query(PG_USAGE(from, Math.min(USAGE, from + chunk - 1)));
    });
    await timed('PostgreSQL: rollups (three hourly grains, daily key grain)', async () => {
      await db.query(rollupSql('usage_hourly_rollups', FINE, PG_HOUR, PG_COST));
      await db.query(rollupSql('usage_hourly_model_rollups', COARSE, PG_HOUR, PG_COST));
      await db.query(rollupSql('usage_hourly_key_rollups', KEYS, PG_HOUR, PG_COST));
      // Absent before migration 1797300000000: the script still measures an older build.
      const [{ daily }] = (await db.query("SELECT to_regclass('usage_daily_key_rollups') IS NOT NULL AS daily")).rows;
      if (daily) await db.query(dailySql(PG_DAY));
    });
    await timed(`PostgreSQL: ${AUDIT} audit entries`, async () => {
      for (let from = 1; from <= AUDIT; from += chunk) await db.query(PG_AUDIT(from, Math.min(AUDIT, from + chunk - 1)));
    });
    await timed('PostgreSQL: ANALYZE', () => db.query('ANALYZE'));
    const [{ count: rollups }] = (await db.query('SELECT COUNT(*) FROM usage_hourly_rollups')).rows;
    const [{ count: modelRollups }] = (await db.query('SELECT COUNT(*) FROM usage_hourly_model_rollups')).rows;
    log(`PostgreSQL: ${rollups} fine and ${modelRollups} per-model rollup rows`);
    const results = await measure(gateway.url);
    const plans = await explain(db);
    return { rollups: Number(rollups), model_rollups: Number(modelRollups), results, plans };
  } finally {
    await gateway?.stop();
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    if (gateway) rmSync(gateway.dataDir, { recursive: true, force: true });
  }
}

/** The plans of the log pages (the SQL TypeORM sends, with the same filters), to show the indexes used. */
async function explain(db) {
  const page = (table, where) =>
    `EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF, TIMING OFF, SUMMARY ON) SELECT * FROM ${table} WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 51`;
  const plans = {};
  for (const [label, sql] of [
    ['usage log: model + errors', page('usage_records', "model = 'model-7' AND status >= 400")],
    ['usage log: key', page('usage_records', "key_id = 'key-0'")],
    ['usage log: user path', page('usage_records', "user_path = 'org/key-1/user-2'")],
    ['audit log: key', page('audit_entries', "key_id = 'key-3'")],
    ['audit log: errors', page('audit_entries', 'status >= 400')],
    ['audit log: request id', page('audit_entries', "request_id = 'bench-audit-77'")],
  ]) {
    plans[label] = (await db.query(sql)).rows.map((row) => row['QUERY PLAN']);
  }
  return plans;
}

async function sqlite() {
  let gateway = await startGateway({});
  await gateway.stop();
  const { dataDir } = gateway;
  const db = new Database(join(dataDir, 'switchyard.db'));
  db.pragma('journal_mode = WAL');
  await timed(`SQLite: ${SQLITE_USAGE} usage rows + rollups`, async () => {
    db.exec(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${SQLITE_USAGE})
      INSERT INTO usage_records (id, request_id, created_at, provider, model, endpoint, status, stream, input_tokens, output_tokens, cached_tokens, reasoning_tokens, latency_ms, key_id, user_path, error_type)
      SELECT ${SQLITE_UUID}, 'bench-' || n, strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (abs(random()) % 7776000) || ' seconds'), 'provider-' || (n % 20 / 4), 'model-' || (n % 20),
        '/v1/chat/completions', CASE WHEN n % 50 = 0 THEN 502 ELSE 200 END, n % 3 = 0, 100 + n % 900, 20 + n % 400, n % 64, 0, 50 + n % 2000,
        'key-' || (n % 37 % 12), 'org/key-' || (n % 37 % 12) || '/user-' || (n % 4), CASE WHEN n % 50 = 0 THEN 'upstream_error' END FROM (SELECT n, hex(randomblob(16)) AS h FROM g)`);
    db.exec(rollupSql('usage_hourly_rollups', FINE, SQLITE_HOUR, '0'));
    db.exec(rollupSql('usage_hourly_model_rollups', COARSE, SQLITE_HOUR, '0'));
    db.exec(rollupSql('usage_hourly_key_rollups', KEYS, SQLITE_HOUR, '0'));
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_daily_key_rollups'").get()) db.exec(dailySql(SQLITE_DAY));
    db.exec(`WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${Math.round(SQLITE_USAGE / 5)})
      INSERT INTO audit_entries (id, created_at, request_id, key_id, method, route, path, provider, model, status, stream, latency_ms, body_truncated)
      SELECT ${SQLITE_UUID}, strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (abs(random()) % 7776000) || ' seconds'), 'bench-audit-' || n, 'key-' || (n % 12), 'POST',
        '/v1/chat/completions', '/v1/chat/completions', 'provider-' || (n % 20 / 4), 'model-' || (n % 20), CASE WHEN n % 50 = 0 THEN 502 ELSE 200 END, 0, 50, 0 FROM (SELECT n, hex(randomblob(16)) AS h FROM g)`);
    db.exec('ANALYZE');
  });
  const rollups = db.prepare('SELECT COUNT(*) AS count FROM usage_hourly_rollups').get().count;
  db.close();
  gateway = await startGateway({ DATA_DIR: dataDir });
  try {
    return { rollups, results: await measure(gateway.url) };
  } finally {
    await gateway.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const report = { usage_rows: USAGE, audit_entries: AUDIT, runs: RUNS };
if (!args['skip-postgres']) {
  report.postgres = await postgres();
  log(`PostgreSQL figures: ${JSON.stringify(report.postgres.results)}`);
}
if (!args['skip-sqlite']) report.sqlite = { usage_rows: SQLITE_USAGE, ...(await sqlite()) };
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
