import { fork, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

const live = new Set();

/** Every child goes through here so that exit paths can stop what is still running. */
function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone. */
export async function stop(child, graceMs = 5_000) {
  if (exited(child)) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

export async function stopAll() {
  await Promise.all([...live].map((child) => stop(child)));
}

/** Last resort from a synchronous 'exit' handler: nothing can be awaited there. */
export function killAllNow() {
  for (const child of live) if (!exited(child)) child.kill('SIGKILL');
}

/** Starts bench/fake-upstream-server.mjs in its own process and returns its base URL and pid. */
export async function startFakeUpstream({ script, entry, apiKey, timeoutMs = 15_000 }) {
  const child = track(fork(script, [], { env: { ...process.env, FAKE_UPSTREAM_ENTRY: entry, FAKE_UPSTREAM_API_KEY: apiKey }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`fake upstream exited (code ${code}) before it was ready`)));
  });
  const message = await withTimeout(ready, timeoutMs, 'fake upstream did not start');
  return { child, pid: child.pid, baseUrl: message.baseUrl, origin: new URL(message.baseUrl).origin };
}

/** Keeps the last lines of a child's output so a failed start can show why. */
function captureTail(stream, tail, forward) {
  stream.setEncoding('utf8');
  stream.on('data', (text) => {
    if (forward) forward.write(text);
    tail.push(...text.split('\n').filter(Boolean));
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  });
}

/**
 * Spawns the built gateway and polls /health/ready; the cold start is spawn → first 200.
 * Polling stops at `timeoutMs` or when the child exits.
 */
export async function startGateway({ entry, nodeArgs = [], env, cwd, port, verbose, timeoutMs = 60_000 }) {
  const started = performance.now();
  const child = track(spawn(process.execPath, [...nodeArgs, entry], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
  const tail = [];
  captureTail(child.stdout, tail, verbose ? process.stdout : undefined);
  captureTail(child.stderr, tail, verbose ? process.stderr : undefined);
  const origin = `http://127.0.0.1:${port}`;
  const deadline = started + timeoutMs;
  let lastStatus = 'no answer';
  while (performance.now() < deadline && !exited(child)) {
    try {
      const { statusCode, body } = await request(`${origin}/health/ready`, { headersTimeout: 2_000, bodyTimeout: 2_000 });
      await body.dump();
      if (statusCode === 200) return { child, pid: child.pid, origin, coldStartMs: performance.now() - started, tail };
      lastStatus = `HTTP ${statusCode}`;
    } catch (error) {
      lastStatus = error.code ?? error.message;
    }
    await sleep(20);
  }
  const why = exited(child) ? `exited with ${child.exitCode ?? child.signalCode}` : `not ready after ${timeoutMs} ms (last: ${lastStatus})`;
  await stop(child);
  throw new Error(`gateway ${why}\n--- last gateway output ---\n${tail.join('\n') || '(none)'}`);
}

async function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
