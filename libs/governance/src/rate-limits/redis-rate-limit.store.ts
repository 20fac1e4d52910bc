import type Redis from 'ioredis';
import { redisReady } from '../redis-ready';
import { ACQUIRE_SCRIPT, RELEASE_SCRIPT } from './rate-limit-scripts';
import {
  type CheckState,
  type LimitAcquire,
  type LimitCheck,
  type LimitKind,
  type LimitRelease,
  type LimitVerdict,
  RATE_WINDOW_MS,
  type RateLimitStore,
  type WindowState,
} from './rate-limit-store';

type ScriptClient = Redis & {
  rateLimitAcquire(...args: (string | number)[]): Promise<number[]>;
  rateLimitRelease(...args: (string | number)[]): Promise<number>;
};

const KINDS: Record<number, LimitKind> = { 1: 'requests', 2: 'tokens', 3: 'concurrency' };

// The four key names of a subject, built once: subjects are keys, configured user paths and
// configured models, so the map stays as small as the configuration; the bound is a safety net.
const subjectKeys = new Map<string, readonly string[]>();
const MAX_REMEMBERED_SUBJECTS = 10_000;

function keysOf(subject: string): readonly string[] {
  let keys = subjectKeys.get(subject);
  if (keys === undefined) {
    if (subjectKeys.size >= MAX_REMEMBERED_SUBJECTS) subjectKeys.clear();
    keys = [`rl:{${subject}}:req`, `rl:{${subject}}:tok`, `rl:{${subject}}:toksum`, `rl:{${subject}}:inflight`];
    subjectKeys.set(subject, keys);
  }
  return keys;
}

/** Four keys per check (see rate-limit-scripts.ts); the client's key prefix is added by ioredis. Callers copy it into their arguments. */
export function limitKeys(checks: readonly LimitCheck[]): readonly string[] {
  if (checks.length === 1) return keysOf(checks[0].subject);
  const keys: string[] = [];
  for (const { subject } of checks) keys.push(...keysOf(subject));
  return keys;
}

/** ARGV of an acquire as LIMIT_FUNCTIONS's checkLimits reads it. */
export function acquireArgs(request: LimitAcquire): (string | number)[] {
  return pushAcquireArgs([], request);
}

/** Appends an acquire's ARGV to `out` (the admission store writes a whole request into one array). */
export function pushAcquireArgs(out: (string | number)[], request: LimitAcquire): (string | number)[] {
  out.push(RATE_WINDOW_MS, request.leaseId, request.tokens, request.leaseTtlMs);
  for (const check of request.checks) out.push(check.requestsPerMinute ?? 0, check.tokensPerMinute ?? 0, check.maxParallel ?? 0);
  return out;
}

/** The checks a release has work for: those with a token window or an in-flight limit. */
export function releasedChecks(request: LimitRelease): LimitCheck[] {
  return request.checks.filter((check) => check.tokensPerMinute || check.maxParallel);
}

function windowState(limit: number | undefined, remaining: number, resetMs: number): WindowState | undefined {
  return limit ? { limit, remaining: Math.max(0, remaining), resetMs } : undefined;
}

/** An acquire's reply (a refusal `{0, check, kind, wait}`, or `{1, 0, 0, 0}` and four numbers per check) as a verdict. */
export function limitVerdictOf(reply: readonly number[], checks: readonly LimitCheck[]): LimitVerdict {
  if (reply[0] !== 1) {
    return { allowed: false, states: [], refused: { index: reply[1] - 1, kind: KINDS[reply[2]], retryAfterMs: reply[3] } };
  }
  const states: CheckState[] = checks.map((check, index) => {
    const at = 4 + index * 4;
    return {
      requests: windowState(check.requestsPerMinute, reply[at], reply[at + 1]),
      tokens: windowState(check.tokensPerMinute, reply[at + 2], reply[at + 3]),
    };
  });
  return { allowed: true, states };
}

/**
 * The rate-limit counters in Redis, one Lua call per acquire (EVALSHA through ioredis's
 * defineCommand, which falls back to EVAL once after a Redis restart flushed the script cache).
 * Errors (Redis down, command timeout) are thrown: the policy decides between open and closed.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly client: ScriptClient;

  constructor(client: Redis) {
    client.defineCommand('rateLimitAcquire', { lua: ACQUIRE_SCRIPT });
    client.defineCommand('rateLimitRelease', { lua: RELEASE_SCRIPT });
    this.client = client as ScriptClient;
  }

  async acquire(request: LimitAcquire): Promise<LimitVerdict> {
    const keys = limitKeys(request.checks);
    return limitVerdictOf(await this.client.rateLimitAcquire(keys.length, ...keys, ...acquireArgs(request)), request.checks);
  }

  async release(request: LimitRelease): Promise<void> {
    const checks = releasedChecks(request);
    if (checks.length === 0) return;
    const keys = limitKeys(checks);
    await this.client.rateLimitRelease(keys.length, ...keys, request.leaseId, request.reservedTokens, request.usedTokens);
  }

  /** The connection, shared with the admission store (one connection carries every admission). */
  get redis(): Redis {
    return this.client;
  }

  /** Waits (bounded) for the connection, so the first requests after boot find it up. */
  ready(): Promise<void> {
    return redisReady(this.client);
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
