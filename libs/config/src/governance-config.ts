import { ConfigError } from './config-error';
import { type Env, readDurationMs, readEnum, readInt, readString } from './env-parsers';

/** What a governance check does when Redis cannot answer: serve anyway, or refuse with a 503. */
export type RedisFailureMode = 'open' | 'closed';

/** Requests per minute, tokens per minute and in-flight requests; absent = unlimited. */
export interface ConfiguredLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  readonly maxParallel?: number;
}

/** One configured limit: on every request under a user path (`/acme` covers `/acme/**`), or to one model selector. */
export interface ScopedLimit {
  readonly scope: 'user' | 'model';
  /** The user path, or the model selector as clients send it. */
  readonly match: string;
  readonly limits: ConfiguredLimits;
}

export interface GovernanceConfig {
  /** RATE_LIMIT_REDIS_FAILURE: open by default (an outage must not stop traffic). */
  readonly rateLimitRedisFailure: RedisFailureMode;
  /** BUDGET_REDIS_FAILURE: closed by default (an outage must not let spend run past a budget). */
  readonly budgetRedisFailure: RedisFailureMode;
  /** RATE_LIMITS: limits per user path and per model, beside the ones a managed key carries. */
  readonly limits: readonly ScopedLimit[];
  /** RATE_LIMIT_LEASE_TTL: how long a concurrency slot outlives a replica that crashed holding it. */
  readonly leaseTtlMs: number;
  /** BUDGET_REFRESH_INTERVAL: how often each replica re-reads budget definitions written elsewhere. */
  readonly budgetRefreshMs: number;
  /** BUDGET_SPEND_FLUSH_INTERVAL: how often settled spend is added to the durable ledger table. */
  readonly spendFlushMs: number;
  /** GOVERNANCE_DEFAULT_MAX_OUTPUT_TOKENS: output reserved for a request that names no maximum. */
  readonly defaultMaxOutputTokens: number;
}

const MODES: readonly RedisFailureMode[] = ['open', 'closed'];
const FIELDS: Record<string, keyof ConfiguredLimits> = { rpm: 'requestsPerMinute', tpm: 'tokensPerMinute', parallel: 'maxParallel' };

export function readGovernanceConfig(env: Env, defaultMaxTokens: number): GovernanceConfig {
  return {
    rateLimitRedisFailure: readEnum(env, 'RATE_LIMIT_REDIS_FAILURE', MODES, 'open'),
    budgetRedisFailure: readEnum(env, 'BUDGET_REDIS_FAILURE', MODES, 'closed'),
    limits: parseScopedLimits(readString(env, 'RATE_LIMITS')),
    leaseTtlMs: readDurationMs(env, 'RATE_LIMIT_LEASE_TTL', 600_000),
    budgetRefreshMs: readDurationMs(env, 'BUDGET_REFRESH_INTERVAL', 5_000),
    spendFlushMs: readDurationMs(env, 'BUDGET_SPEND_FLUSH_INTERVAL', 1_000),
    defaultMaxOutputTokens: readInt(env, 'GOVERNANCE_DEFAULT_MAX_OUTPUT_TOKENS', defaultMaxTokens, 0),
  };
}

/**
 * `RATE_LIMITS="user:/acme rpm=100 tpm=50000 parallel=4; model:openai/gpt-4o rpm=500"`: entries
 * separated by `;`, each a scope (`user:<path>` or `model:<selector>`) and one or more limits.
 */
export function parseScopedLimits(raw: string | undefined): ScopedLimit[] {
  if (raw === undefined) return [];
  return raw
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(parseEntry);
}

function parseEntry(entry: string): ScopedLimit {
  const [head, ...pairs] = entry.split(/\s+/);
  const colon = head.indexOf(':');
  const scope = head.slice(0, colon);
  const match = head.slice(colon + 1);
  if (colon < 0 || (scope !== 'user' && scope !== 'model') || match === '') fail(`entry "${entry}" must start with user:<path> or model:<selector>`);
  if (scope === 'user' && !match.startsWith('/')) fail(`user path "${match}" must start with /`);
  if (pairs.length === 0) fail(`entry "${entry}" names no limit (rpm=, tpm=, parallel=)`);
  const limits: Record<string, number> = {};
  for (const pair of pairs) {
    const [name, value] = pair.split('=');
    const field = FIELDS[name];
    if (!field || !/^\d+$/.test(value ?? '') || Number(value) < 1) fail(`"${pair}" must be rpm=<n>, tpm=<n> or parallel=<n> with n >= 1`);
    limits[field] = Number(value);
  }
  return { scope, match: scope === 'user' ? trimSlash(match) : match, limits };
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function fail(detail: string): never {
  throw new ConfigError('RATE_LIMITS', detail);
}
