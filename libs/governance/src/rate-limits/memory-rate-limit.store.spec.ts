import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RATE_WINDOW_MS } from './rate-limit-store';

describe('MemoryRateLimitStore with a full window', () => {
  let now = 1_000_000;
  const store = new MemoryRateLimitStore(() => now);
  const check = { subject: 'key:busy', requestsPerMinute: 100_000, tokensPerMinute: 10_000_000 };
  const acquire = (lease: string, tokens = 10) => store.acquireNow({ checks: [check], leaseId: lease, tokens, leaseTtlMs: 60_000 });

  it('counts, corrects and ages out 60,000 admissions of one minute exactly', () => {
    // 1,000 admissions per second for a minute, each releasing with 4 of its 10 tokens used.
    for (let i = 0; i < 60_000; i++) {
      now += 1;
      expect(acquire(`l${i}`).allowed).toBe(true);
      store.releaseNow({ checks: [check], leaseId: `l${i}`, reservedTokens: 10, usedTokens: 4 });
    }
    // One window after the first admission: it has left (an entry admitted at or before now - 60 s
    // no longer counts, as in the Redis script); the other 59,999 and the probe count.
    now += 1;
    let verdict = acquire('probe');
    expect(verdict.states[0].requests).toMatchObject({ remaining: 100_000 - 60_000 });
    expect(verdict.states[0].tokens).toMatchObject({ remaining: 10_000_000 - 59_999 * 4 - 10 });

    // Half a minute later half of them have left the window, with their tokens.
    now += RATE_WINDOW_MS / 2;
    verdict = acquire('later');
    expect(verdict.states[0].requests?.remaining).toBe(100_000 - 29_999 - 2);
    expect(verdict.states[0].tokens?.remaining).toBe(10_000_000 - 29_999 * 4 - 10 - 10);

    // A minute after the last released admission, only the three probes count.
    now += RATE_WINDOW_MS / 2 - 1;
    verdict = acquire('last');
    expect(verdict.states[0].requests?.remaining).toBe(100_000 - 3);
    expect(verdict.states[0].tokens?.remaining).toBe(10_000_000 - 30);
  });

  it('refuses at the RPM limit with the wait until the oldest counted entry leaves', () => {
    const tight = { subject: 'key:tight', requestsPerMinute: 3 };
    const start = now;
    for (let i = 0; i < 3; i++) {
      now = start + i * 1000;
      expect(store.acquireNow({ checks: [tight], leaseId: `t${i}`, tokens: 0, leaseTtlMs: 60_000 }).allowed).toBe(true);
    }
    now = start + 10_000;
    const refused = store.acquireNow({ checks: [tight], leaseId: 't3', tokens: 0, leaseTtlMs: 60_000 });
    expect(refused.refused).toEqual({ index: 0, kind: 'requests', retryAfterMs: 50_000 });
  });
});
