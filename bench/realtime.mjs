#!/usr/bin/env node
// Realtime relay benchmark (not part of `npm run bench`; build first with `npm run build`):
//   node bench/realtime.mjs [--duration 10] [--rate 200] [--sessions 50] [--frame-bytes 240] [--dist dist] [--verbose]
// 1. Frame latency: one session at --rate frames/s in each direction, straight to the fake
//    upstream ("direct") and through the gateway, one after the other: p50/p99 one-way latency
//    client→upstream and upstream→client, and what the gateway adds.
// 2. CPU: --sessions concurrent sessions through the gateway at --rate frames/s each way: the
//    gateway's CPU (utime+stime from /proc) per relayed frame, and its peak RSS.
// Frames are `input_audio_buffer.append` / `response.output_audio.delta` JSON text frames carrying
// --frame-bytes of audio as base64 (240 bytes = 5 ms of 24 kHz PCM16, which is what 200 frames/s carries).
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { freePort, killAllNow, startFakeUpstream, startGateway, stopAll } from './lib/children.mjs';
import { cpuMicros, memoryMiB } from './lib/proc-stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MASTER_KEY = 'sk-switchyard-bench-master';
const UPSTREAM_KEY = 'sk-bench-upstream';
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    sessions: { type: 'string', default: '50' },
    'frame-bytes': { type: 'string', default: '240' },
    dist: { type: 'string', default: 'dist' },
    verbose: { type: 'boolean', default: false },
  },
});
const durationMs = Number(values.duration) * 1000;
const rate = Number(values.rate);
const frameBytes = Number(values['frame-bytes']);
const now = () => performance.timeOrigin + performance.now();
// Where the send time starts in the fake's delta frames: `{"type":"response.output_audio.delta","event_id":"`.
const SENT_AT = '{"type":"response.output_audio.delta","event_id":"'.length;
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { frames: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** One session: sends appends at `rate`, asks the upstream to stream deltas at `rate`, returns both directions' latencies. */
async function runSession(url, authorization) {
  const ws = new WebSocket(url, { headers: { authorization }, perMessageDeflate: false });
  const downstream = [];
  let report;
  const reported = new Promise((done) => (report = done));
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('{"type":"response.output_audio.delta"')) downstream.push(now() - Number(text.slice(SENT_AT, text.indexOf('"', SENT_AT))));
    else if (text.startsWith('{"type":"bench.report"')) report(JSON.parse(text).latencies);
  });
  await new Promise((done, fail) => (ws.once('open', done), ws.once('error', fail)));
  const audio = Buffer.alloc(frameBytes, 3).toString('base64');
  ws.send(JSON.stringify({ type: 'bench.start', rate, bytes: frameBytes }));
  const started = performance.now();
  let next = started;
  while (performance.now() - started < durationMs) {
    ws.send(`{"type":"input_audio_buffer.append","event_id":"${now()}","audio":"${audio}"}`);
    next += 1000 / rate;
    await new Promise((done) => setTimeout(done, Math.max(0, next - performance.now())));
  }
  ws.send(JSON.stringify({ type: 'bench.stop' }));
  const upstream = await reported;
  ws.close();
  return { clientToUpstream: upstream, upstreamToClient: downstream };
}

async function main() {
  process.on('exit', killAllNow);
  const fake = await startFakeUpstream({ script: join(ROOT, 'bench/fake-realtime-server.mjs'), entry: '', apiKey: UPSTREAM_KEY });
  const port = await freePort();
  const runDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-realtime-'));
  const env = {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    SWITCHYARD_MASTER_KEY: MASTER_KEY,
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: fake.baseUrl,
    DATA_DIR: runDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  };
  const gateway = await startGateway({ entry: resolve(ROOT, values.dist, 'apps/gateway/src/main.js'), env, cwd: runDir, port, verbose: values.verbose });
  const direct = `${fake.baseUrl.replace('http://', 'ws://')}/realtime?model=gpt-realtime`;
  const viaGateway = `${gateway.origin.replace('http://', 'ws://')}/v1/realtime?model=gpt-realtime`;

  const latency = {};
  for (const [name, url, key] of [
    ['direct', direct, UPSTREAM_KEY],
    ['gateway', viaGateway, MASTER_KEY],
  ]) {
    const result = await runSession(url, `Bearer ${key}`);
    latency[name] = { clientToUpstream: summary(result.clientToUpstream), upstreamToClient: summary(result.upstreamToClient) };
  }
  const cpuBefore = cpuMicros(gateway.pid);
  const sessions = await Promise.all(Array.from({ length: Number(values.sessions) }, () => runSession(viaGateway, `Bearer ${MASTER_KEY}`)));
  const cpuUsed = cpuMicros(gateway.pid) - cpuBefore;
  const frames = sessions.reduce((sum, session) => sum + session.clientToUpstream.length + session.upstreamToClient.length, 0);
  const load = { sessions: sessions.length, framesRelayed: frames, gatewayCpuMicrosPerFrame: frames ? cpuUsed / frames : null, gatewayPeakRssMiB: memoryMiB(gateway.pid).peak };

  const result = { options: { durationMs, rate, frameBytes, sessions: Number(values.sessions) }, latency, load };
  console.table(Object.fromEntries(Object.entries(latency).flatMap(([name, dirs]) => Object.entries(dirs).map(([dir, s]) => [`${name} ${dir}`, s]))));
  console.table({ load });
  const out = join(ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `realtime-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(result, null, 2));
  await stopAll();
}

main().catch(async (error) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
