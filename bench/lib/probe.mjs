import { Client } from 'undici';
import { summarize } from './stats.mjs';

const TIMEOUTS = { headersTimeout: 10_000, bodyTimeout: 10_000 };
const WARM_UP_REQUESTS = 20;
const MAX_FAILURES = 10;

async function timeOne(client, request) {
  const started = performance.now();
  const { statusCode, body } = await client.request({ ...request, ...TIMEOUTS });
  const headersAt = performance.now();
  let firstChunkAt;
  for await (const _chunk of body) firstChunkAt ??= performance.now();
  const endedAt = performance.now();
  return { statusCode, headersMs: headersAt - started, firstChunkMs: (firstChunkAt ?? endedAt) - started, totalMs: endedAt - started };
}

/**
 * Sequential single requests, one connection per target, alternating targets request by request
 * so that drift on a shared VM hits both equally. Times: headers, first body chunk, complete body.
 */
export async function probe({ targets, count }) {
  const clients = targets.map((target) => new Client(target.origin, { pipelining: 1 }));
  const samples = targets.map(() => ({ headersMs: [], firstChunkMs: [], totalMs: [] }));
  const failures = targets.map(() => ({ count: 0, statusCodes: {} }));
  try {
    for (let index = 0; index < WARM_UP_REQUESTS + count; index++) {
      for (let t = 0; t < targets.length; t++) {
        const which = index % 2 === 0 ? t : targets.length - 1 - t;
        let timing;
        try {
          timing = await timeOne(clients[which], targets[which].request);
        } catch (error) {
          timing = { statusCode: error.code ?? 'error' };
        }
        if (timing.statusCode !== 200) {
          const failure = failures[which];
          failure.statusCodes[timing.statusCode] = (failure.statusCodes[timing.statusCode] ?? 0) + 1;
          if (++failure.count >= MAX_FAILURES) throw new Error(`probe of ${targets[which].name} failed ${failure.count} times: ${JSON.stringify(failure.statusCodes)}`);
          continue;
        }
        if (index < WARM_UP_REQUESTS) continue;
        for (const key of Object.keys(samples[which])) samples[which][key].push(timing[key]);
      }
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  return targets.map((target, t) => ({
    target: target.name,
    failures: failures[t],
    headersMs: summarize(samples[t].headersMs),
    firstChunkMs: summarize(samples[t].firstChunkMs),
    totalMs: summarize(samples[t].totalMs),
  }));
}
