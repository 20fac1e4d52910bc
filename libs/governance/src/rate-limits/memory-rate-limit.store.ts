import { type CheckState, type LimitAcquire, type LimitCheck, type LimitRelease, type LimitVerdict, RATE_WINDOW_MS, type RateLimitStore } from './rate-limit-store';

interface Entry {
  readonly lease: string;
  readonly at: number;
  tokens: number;
}

/** One subject's windows: admitted requests and token entries, oldest first, and in-flight leases by expiry. */
interface Subject {
  requests: Entry[];
  tokens: Entry[];
  readonly inflight: Map<string, number>;
}

/**
 * The same sliding-window log as the Redis scripts, held in process for the embedded gateway (one
 * process, no Redis). Node runs one acquire at a time, so the check-then-add needs no lock.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly subjects = new Map<string, Subject>();

  constructor(private readonly now: () => number = Date.now) {}

  acquire(request: LimitAcquire): Promise<LimitVerdict> {
    return Promise.resolve(this.acquireNow(request));
  }

  release(request: LimitRelease): Promise<void> {
    this.releaseNow(request);
    return Promise.resolve();
  }

  /** acquire() without the promise, for a caller that must decide more in the same step (the admission store). */
  acquireNow(request: LimitAcquire): LimitVerdict {
    const now = this.now();
    const subjects = request.checks.map((check) => this.prune(check.subject, now));
    for (let index = 0; index < request.checks.length; index++) {
      const refused = refusal(request.checks[index], subjects[index], request.tokens, now);
      if (refused) return { allowed: false, states: [], refused: { index, ...refused } };
    }
    const states = request.checks.map((check, index): CheckState => admit(check, subjects[index], request, now));
    return { allowed: true, states };
  }

  releaseNow(request: LimitRelease): void {
    for (const check of request.checks) {
      const subject = this.subjects.get(check.subject);
      if (!subject) continue;
      subject.inflight.delete(request.leaseId);
      const entry = subject.tokens.find((candidate) => candidate.lease === request.leaseId);
      if (entry) entry.tokens = request.usedTokens;
    }
  }

  private prune(name: string, now: number): Subject {
    let subject = this.subjects.get(name);
    if (!subject) this.subjects.set(name, (subject = { requests: [], tokens: [], inflight: new Map() }));
    const cutoff = now - RATE_WINDOW_MS;
    subject.requests = subject.requests.filter((entry) => entry.at > cutoff);
    subject.tokens = subject.tokens.filter((entry) => entry.at > cutoff);
    for (const [lease, expiry] of subject.inflight) if (expiry <= now) subject.inflight.delete(lease);
    return subject;
  }
}

function sum(entries: readonly Entry[]): number {
  return entries.reduce((total, entry) => total + entry.tokens, 0);
}

function refusal(check: LimitCheck, subject: Subject, tokens: number, now: number): { kind: 'requests' | 'tokens' | 'concurrency'; retryAfterMs: number } | undefined {
  const { requestsPerMinute: rpm, tokensPerMinute: tpm, maxParallel: parallel } = check;
  if (rpm && subject.requests.length >= rpm) {
    return { kind: 'requests', retryAfterMs: Math.max(1, subject.requests[subject.requests.length - rpm].at + RATE_WINDOW_MS - now) };
  }
  if (tpm && sum(subject.tokens) + tokens > tpm) return { kind: 'tokens', retryAfterMs: tokenWait(subject.tokens, tokens, tpm, now) };
  if (parallel && subject.inflight.size >= parallel) return { kind: 'concurrency', retryAfterMs: 1000 };
  return undefined;
}

function tokenWait(entries: readonly Entry[], tokens: number, limit: number, now: number): number {
  if (tokens > limit) return RATE_WINDOW_MS;
  let total = sum(entries);
  for (const entry of entries) {
    total -= entry.tokens;
    if (total + tokens <= limit) return Math.max(1, entry.at + RATE_WINDOW_MS - now);
  }
  return RATE_WINDOW_MS;
}

function admit(check: LimitCheck, subject: Subject, request: LimitAcquire, now: number): CheckState {
  const { requestsPerMinute: rpm, tokensPerMinute: tpm, maxParallel: parallel } = check;
  const entry = { lease: request.leaseId, at: now, tokens: request.tokens };
  if (rpm) subject.requests.push(entry);
  if (tpm) subject.tokens.push({ ...entry });
  if (parallel) subject.inflight.set(request.leaseId, now + request.leaseTtlMs);
  const reset = (entries: readonly Entry[]) => (entries.length ? Math.max(0, entries[0].at + RATE_WINDOW_MS - now) : 0);
  return {
    requests: rpm ? { limit: rpm, remaining: Math.max(0, rpm - subject.requests.length), resetMs: reset(subject.requests) } : undefined,
    tokens: tpm ? { limit: tpm, remaining: Math.max(0, tpm - sum(subject.tokens)), resetMs: reset(subject.tokens) } : undefined,
  };
}
