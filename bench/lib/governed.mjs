/**
 * The managed key of the `chat-governed` scenario: every governance check on, on Redis. Its limits
 * are set far above what the benchmark can send, so it measures the checks' cost, never a refusal.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'undici';

/** Redis for the gateway of a run with a governed scenario (a prefix of its own: nothing else is touched). */
export function governedEnv() {
  return { REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `switchyard-bench-${randomUUID()}:` };
}

async function adminCall(origin, masterKey, method, path, body) {
  const response = await request(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${method} ${path} → HTTP ${response.statusCode}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Creates the key (RPM, TPM, concurrency) and its budget; returns its Authorization header value. */
export async function createGovernedKey(origin, masterKey) {
  const limits = { requests_per_minute: 1_000_000_000, tokens_per_minute: 1_000_000_000, max_parallel: 100_000 };
  const key = await adminCall(origin, masterKey, 'POST', '/admin/auth-keys', { name: 'bench-governed', limits });
  // Hourly, so the counter left in Redis expires within a day; a huge amount never refuses.
  await adminCall(origin, masterKey, 'PUT', '/admin/budgets', { key_id: key.id, period_seconds: 3600, amount_micros: 1_000_000_000_000_000 });
  return `Bearer ${key.value}`;
}
