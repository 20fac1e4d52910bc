/** One limited subject (a key, a user path, a model) and its limits; 0 or absent = not limited. */
export interface LimitCheck {
  /** Counter id, e.g. `key:k_123` or `user:/acme`; never a secret. */
  readonly subject: string;
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  readonly maxParallel?: number;
}

export interface LimitAcquire {
  readonly checks: readonly LimitCheck[];
  /** Unique per request: names its window entries and its concurrency lease. */
  readonly leaseId: string;
  /** Tokens the request may use (estimated input + maximum output), counted against TPM. */
  readonly tokens: number;
  /** How long a concurrency slot is held when it is never released (a crashed replica). */
  readonly leaseTtlMs: number;
}

/** One window's state after the call: what the client is told in its rate-limit headers. */
export interface WindowState {
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the window has room again (the oldest counted entry leaves it). */
  readonly resetMs: number;
}

/** Per check: the state of its windows (absent where that check has no such limit). */
export interface CheckState {
  readonly requests?: WindowState;
  readonly tokens?: WindowState;
}

export type LimitKind = 'requests' | 'tokens' | 'concurrency';

export interface LimitVerdict {
  readonly allowed: boolean;
  readonly states: readonly CheckState[];
  /** When refused: which check and which of its limits, and how long until it could fit. */
  readonly refused?: { readonly index: number; readonly kind: LimitKind; readonly retryAfterMs: number };
}

export interface LimitRelease {
  readonly checks: readonly LimitCheck[];
  readonly leaseId: string;
  /** Tokens counted at acquire, and what the request really used (the TPM window is corrected to it). */
  readonly reservedTokens: number;
  readonly usedTokens: number;
}

/** One sliding minute; the window both requests and tokens are counted in. */
export const RATE_WINDOW_MS = 60_000;

/**
 * Counters of the rate limits, shared by every replica (Redis) or held in process (embedded).
 * Sliding-window log: a request is admitted only while fewer than `limit` requests (or tokens)
 * were admitted in the last 60 s, so no 60 s window ever holds more than the limit. Acquire is
 * all-or-nothing across the checks: a refusal counts against none of them.
 */
export interface RateLimitStore {
  acquire(request: LimitAcquire): Promise<LimitVerdict>;
  /** Frees the concurrency lease and corrects the token entry to what was used. */
  release(request: LimitRelease): Promise<void>;
}

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');
