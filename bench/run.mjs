#!/usr/bin/env node
// Switchyard benchmark: the fake OpenAI upstream alone ("direct") against the built gateway in
// front of it, measured in one run, interleaved. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { request } from 'undici';
import { runCells, summarizeCells } from './lib/cells.mjs';
import { freePort, killAllNow, startFakeUpstream, startGateway, stop, stopAll } from './lib/children.mjs';
import { HELP, parseOptions } from './lib/options.mjs';
import { probe } from './lib/probe.mjs';
import { memoryMiB } from './lib/proc-stats.mjs';
import { fmt, loadTable, probeTable, writeJson } from './lib/report.mjs';
import { createGovernedKey, governedEnv } from './lib/governed.mjs';
import { authorizationFor, buildRequest, modelFor, originFor, SCENARIOS } from './lib/scenarios.mjs';
import { median } from './lib/stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Throwaway credentials: the gateway authenticates the benchmark with the first and the fake
// upstream checks that the gateway forwards the second.
const MASTER_KEY = 'sk-switchyard-bench-master';
const UPSTREAM_KEY = 'sk-bench-upstream';
const log = (line = '') => console.log(line);
const tempDirs = [];

function gatewayEnv(options, upstreamBaseUrl, port, dataDir) {
  const anthropic = options.anthropicBaseUrl ? { ANTHROPIC_API_KEY: UPSTREAM_KEY, ANTHROPIC_BASE_URL: options.anthropicBaseUrl } : {};
  const audio = options.audioBaseUrl ? { OPENAI_AUDIO_API_KEY: UPSTREAM_KEY, OPENAI_AUDIO_BASE_URL: options.audioBaseUrl } : {};
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    SWITCHYARD_MASTER_KEY: MASTER_KEY,
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: upstreamBaseUrl,
    METRICS_ENABLED: 'true',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...anthropic,
    ...audio,
    ...options.gatewayEnv,
  };
}

/** A fresh port and data directory each time, so every start is a true cold start (migrations included). */
async function launchGateway(options, upstreamBaseUrl, runDir, label) {
  const dataDir = join(runDir, `data-${label}`);
  mkdirSync(dataDir);
  const port = await freePort();
  const env = gatewayEnv(options, upstreamBaseUrl, port, dataDir);
  // cwd is the run directory: the gateway reads a `.env` from its cwd, and a developer's .env
  // (DATABASE_URL, REDIS_URL, other providers) would silently change what is measured.
  let nodeArgs = options.gatewayNodeArgs;
  let promiseCountFile = null;
  if (options.countPromises) {
    promiseCountFile = join(runDir, `promises-${label}`);
    env.BENCH_PROMISE_COUNT_FILE = promiseCountFile;
    nodeArgs = [...nodeArgs, `--import=${pathToFileURL(join(ROOT, 'bench/lib/promise-counter.mjs')).href}`];
  }
  const gateway = await startGateway({ entry: options.gatewayEntry, nodeArgs, env, cwd: runDir, port, verbose: options.verbose });
  return { ...gateway, env, promiseCountFile };
}

/** The gateway's environment for the result file, credentials masked. */
function describeEnv(env) {
  const masked = /KEY|SECRET|TOKEN|PASSWORD/;
  return Object.fromEntries(
    Object.entries(env)
      .filter(([name]) => name !== 'PATH' && name !== 'HOME')
      .map(([name, value]) => [name, masked.test(name) ? '***' : value]),
  );
}

/** One request per scenario and target before measuring: a benchmark of 404s is worse than none. */
async function sanityCheck(scenarios, targets, model) {
  for (const scenario of scenarios) {
    for (const target of targets) {
      const side = scenario[target.name];
      if (!side) continue;
      const { path, ...rest } = buildRequest(side, modelFor(scenario, model), authorizationFor(target, scenario));
      const response = await request(originFor(target, scenario) + path, { ...rest, headersTimeout: 10_000, bodyTimeout: 10_000 });
      const text = await response.body.text();
      const type = String(response.headers['content-type'] ?? '');
      const wrongType = !type.startsWith(scenario.contentType ?? (scenario.stream ? 'text/event-stream' : 'application/json'));
      if (response.statusCode !== 200 || wrongType || text.length === 0) {
        throw new Error(`sanity check failed: ${scenario.name} via ${target.name} → HTTP ${response.statusCode} (${type})\n${text.slice(0, 500)}`);
      }
    }
  }
}

function machine() {
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the result is still useful without it.
  }
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, loadavg: loadavg(), commit };
}

/** An upper bound on the whole run; every loop is bounded too, this catches the unforeseen. */
function watchdogMs(options) {
  const cellCount = options.rounds * options.scenarios.length * options.connections.length * 2;
  const cells = cellCount * (options.warmup + options.duration + 15) * 1000;
  const probes = options.scenarios.length * 2 * (options.probeRequests + 20) * 100;
  return cells + probes + options.coldStarts * 60_000 + 120_000;
}

async function main() {
  const options = parseOptions(process.argv.slice(2), ROOT);
  if (options.help) return log(HELP);
  if (!existsSync(options.fakeEntry)) throw new Error(`${options.fakeEntry} not found: run \`npm run build\` first`);
  if (options.gateway && !existsSync(options.gatewayEntry)) {
    throw new Error(`${options.gatewayEntry} not found: run \`npm run build\`, or pass --no-gateway to measure the fake upstream alone`);
  }
  const watchdog = setTimeout(() => fail(new Error('benchmark exceeded its time bound')), watchdogMs(options));
  watchdog.unref();
  const startedAt = new Date();
  const before = machine();
  const runDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  tempDirs.push(runDir);

  const upstream = await startFakeUpstream({ script: join(ROOT, 'bench/fake-upstream-server.mjs'), entry: options.fakeEntry, apiKey: UPSTREAM_KEY });
  log(`fake upstream ${upstream.baseUrl} (pid ${upstream.pid})`);
  const scenarios = SCENARIOS.filter((scenario) => options.scenarios.includes(scenario.name));
  // The fake Anthropic upstream runs only when a selected scenario needs it (the /v1/messages ones).
  let anthropic = null;
  if (scenarios.some((scenario) => scenario.upstream === 'anthropic')) {
    const entry = join(dirname(dirname(options.fakeEntry)), 'fake-anthropic/index.js');
    anthropic = await startFakeUpstream({ script: join(ROOT, 'bench/fake-anthropic-server.mjs'), entry, apiKey: UPSTREAM_KEY });
    options.anthropicBaseUrl = anthropic.baseUrl;
    log(`fake Anthropic upstream ${anthropic.baseUrl} (pid ${anthropic.pid})`);
  }
  // The fake audio upstream likewise, only for the speech scenario.
  let audio = null;
  if (scenarios.some((scenario) => scenario.upstream === 'audio')) {
    const entry = join(dirname(dirname(options.fakeEntry)), 'fake-audio/index.js');
    audio = await startFakeUpstream({ script: join(ROOT, 'bench/fake-audio-server.mjs'), entry, apiKey: UPSTREAM_KEY });
    options.audioBaseUrl = audio.baseUrl;
    log(`fake audio upstream ${audio.baseUrl} (pid ${audio.pid})`);
  }
  const origins = { openai: upstream.origin, anthropic: anthropic?.origin, audio: audio?.origin };
  const targets = [{ name: 'direct', origin: upstream.origin, origins, authorization: `Bearer ${UPSTREAM_KEY}` }];
  const coldStartsMs = [];
  let gateway = null;
  let bootRssMiB = null;
  const governed = scenarios.some((scenario) => scenario.key === 'governed');
  if (governed) options.gatewayEnv = { ...governedEnv(), ...options.gatewayEnv };
  for (const scenario of scenarios) if (scenario.gatewayEnv) options.gatewayEnv = { ...scenario.gatewayEnv, ...options.gatewayEnv };
  if (options.gateway) {
    gateway = await launchGateway(options, upstream.baseUrl, runDir, 'main');
    coldStartsMs.push(gateway.coldStartMs);
    // Read before any traffic: what one idle replica costs (the "right after boot" figure).
    bootRssMiB = memoryMiB(gateway.pid).rss;
    log(`gateway ${gateway.origin} (pid ${gateway.pid}) ready in ${fmt(gateway.coldStartMs, 0)} ms, RSS ${fmt(bootRssMiB, 1)} MiB`);
    const keys = governed ? { governed: await createGovernedKey(gateway.origin, MASTER_KEY) } : {};
    targets.push({ name: 'gateway', origin: gateway.origin, authorization: `Bearer ${MASTER_KEY}`, keys });
  }
  await sanityCheck(scenarios, targets, options.model);

  log(`\nload: ${options.duration} s per cell after ${options.warmup} s warm-up, ${options.rounds} round(s)`);
  const upstreamPids = { openai: upstream.pid, anthropic: anthropic?.pid, audio: audio?.pid };
  const pids = (scenario) => ({ gateway: gateway?.pid, upstream: upstreamPids[scenario.upstream ?? 'openai'] });
  const cells = await runCells({ options, scenarios, targets, pids, gatewayPid: gateway?.pid, promiseCountFile: gateway?.promiseCountFile, log });

  const probes = [];
  if (options.probeRequests > 0) {
    log(`\nsequential probe: ${options.probeRequests} requests per scenario and target`);
    for (const scenario of scenarios) {
      const sides = targets
        .filter((target) => scenario[target.name])
        .map((target) => ({
          ...target,
          origin: originFor(target, scenario),
          request: buildRequest(scenario[target.name], modelFor(scenario, options.model), authorizationFor(target, scenario)),
        }));
      probes.push({ scenario: scenario.name, results: await probe({ targets: sides, count: options.probeRequests }) });
    }
  }

  const gatewayMemoryMiB = gateway ? memoryMiB(gateway.pid) : null;
  if (gateway) {
    await stop(gateway.child);
    for (let index = 1; index < options.coldStarts; index++) {
      const extra = await launchGateway(options, upstream.baseUrl, runDir, `cold-${index}`);
      coldStartsMs.push(extra.coldStartMs);
      await stop(extra.child);
    }
  }

  const summary = summarizeCells(
    cells,
    scenarios.map((scenario) => scenario.name),
  );
  log('\nUnder load (closed loop; + columns are gateway minus direct at the same connections)');
  log(loadTable(summary));
  if (probes.length > 0) {
    log('\nSequential single requests (one connection, targets alternated; + columns are gateway minus direct)');
    log(probeTable(probes));
  }
  if (gateway) {
    log(`\ngateway cold start (spawn → first 200 on /health/ready): ${coldStartsMs.map((ms) => fmt(ms, 0)).join(', ')} ms (median ${fmt(median(coldStartsMs), 0)})`);
    log(`gateway RSS right after boot (VmRSS): ${fmt(bootRssMiB, 1)} MiB`);
    log(`gateway peak RSS (VmHWM): ${fmt(gatewayMemoryMiB.peak, 1)} MiB`);
  }

  const file = writeJson(options.out, startedAt, {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { ...before, loadavgAfter: loadavg() },
    options: { ...options, gatewayEnv: Object.keys(options.gatewayEnv) },
    summary,
    probes,
    gateway: gateway ? { env: describeEnv(gateway.env), coldStartsMs, coldStartMedianMs: median(coldStartsMs), bootRssMiB, peakRssMiB: gatewayMemoryMiB.peak } : null,
    cells,
  });
  log(`\nresults: ${file}`);
}

let exiting = false;
async function shutdown(code) {
  if (exiting) return;
  exiting = true;
  await stopAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}

function fail(error) {
  console.error(`\nbench failed: ${error.message}`);
  void shutdown(1);
}

process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));
process.on('exit', killAllNow);
main().then(() => shutdown(0), fail);
