import { type CheckState, type LimitAcquire, type LimitCheck, type LimitRelease, type LimitVerdict, RATE_WINDOW_MS, type RateLimitStore } from './rate-limit-store';
import { WindowLog } from './window-log';

/** One subject's windows: admitted requests and token entries, oldest first, and in-flight leases by expiry. */
interface Subject {
  readonly requests: WindowLog;
  readonly tokens: WindowLog;
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
      subject.tokens.correct(request.leaseId, request.usedTokens);
    }
  }

  private prune(name: string, now: number): Subject {
    let subject = this.subjects.get(name);
    if (!subject) this.subjects.set(name, (subject = { requests: new WindowLog({ correctable: false }), tokens: new WindowLog({ correctable: true }), inflight: new Map() }));
    const cutoff = now - RATE_WINDOW_MS;
    subject.requests.prune(cutoff);
    subject.tokens.prune(cutoff);
    for (const [lease, expiry] of subject.inflight) if (expiry <= now) subject.inflight.delete(lease);
    return subject;
  }
}

function refusal(check: LimitCheck, subject: Subject, tokens: number, now: number): { kind: 'requests' | 'tokens' | 'concurrency'; retryAfterMs: number } | undefined {
  const { requestsPerMinute: rpm, tokensPerMinute: tpm, maxParallel: parallel } = check;
  if (rpm && subject.requests.size >= rpm) {
    return { kind: 'requests', retryAfterMs: Math.max(1, subject.requests.at(subject.requests.size - rpm).at + RATE_WINDOW_MS - now) };
  }
  if (tpm && subject.tokens.total + tokens > tpm) return { kind: 'tokens', retryAfterMs: tokenWait(subject.tokens, tokens, tpm, now) };
  if (parallel && subject.inflight.size >= parallel) return { kind: 'concurrency', retryAfterMs: 1000 };
  return undefined;
}

/** Only on a refusal: walks the log from its oldest entry until enough tokens would have left. */
function tokenWait(log: WindowLog, tokens: number, limit: number, now: number): number {
  if (tokens > limit) return RATE_WINDOW_MS;
  let total = log.total;
  for (let index = 0; index < log.size; index++) {
    const entry = log.at(index);
    total -= entry.tokens;
    if (total + tokens <= limit) return Math.max(1, entry.at + RATE_WINDOW_MS - now);
  }
  return RATE_WINDOW_MS;
}

function admit(check: LimitCheck, subject: Subject, request: LimitAcquire, now: number): CheckState {
  const { requestsPerMinute: rpm, tokensPerMinute: tpm, maxParallel: parallel } = check;
  if (rpm) subject.requests.add({ lease: request.leaseId, at: now, tokens: 0 });
  if (tpm) subject.tokens.add({ lease: request.leaseId, at: now, tokens: request.tokens });
  if (parallel) subject.inflight.set(request.leaseId, now + request.leaseTtlMs);
  const reset = (log: WindowLog) => (log.size ? Math.max(0, log.at(0).at + RATE_WINDOW_MS - now) : 0);
  return {
    requests: rpm ? { limit: rpm, remaining: Math.max(0, rpm - subject.requests.size), resetMs: reset(subject.requests) } : undefined,
    tokens: tpm ? { limit: tpm, remaining: Math.max(0, tpm - subject.tokens.total), resetMs: reset(subject.tokens) } : undefined,
  };
}
