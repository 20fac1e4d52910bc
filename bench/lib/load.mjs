import autocannon from 'autocannon';
import { summarize } from './stats.mjs';

// Enough for ~60 s at 30k req/s; beyond it the latency sample stops growing (counts stay exact).
const MAX_LATENCY_SAMPLES = 2_000_000;

function run(options, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (onResponse) instance.on('response', onResponse);
  });
}

/**
 * One closed-loop load run with autocannon. Latency percentiles come from autocannon's own
 * per-response timings (float ms) rather than its histogram, which has 1 ms resolution.
 */
export async function runLoad({ origin, request, connections, durationS }) {
  const latencies = [];
  const result = await run(
    {
      url: origin + request.path,
      method: request.method,
      headers: request.headers,
      body: request.body,
      connections,
      duration: durationS,
      pipelining: 1,
      timeout: 10,
    },
    (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300 && latencies.length < MAX_LATENCY_SAMPLES) latencies.push(responseTimeMs);
    },
  );
  const latency = summarize(latencies);
  return {
    requests: result.requests.total,
    durationS: result.duration,
    rps: result.requests.total / result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    latencyMs: { p50: latency.p50, p99: latency.p99, mean: latency.mean, max: latency.max },
  };
}

/** Unmeasured load so JIT, connection pools and caches are warm before a measured run. */
export async function warmUp({ origin, request, connections, durationS }) {
  if (durationS <= 0) return;
  await run({ url: origin + request.path, method: request.method, headers: request.headers, body: request.body, connections, duration: durationS, timeout: 10 });
}
