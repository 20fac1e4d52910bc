import { buildConfig } from './load-config';

describe('governance configuration', () => {
  it('defaults: limits fail open, budgets fail closed, no configured limits', () => {
    const { governance } = buildConfig({});
    expect([governance.rateLimitRedisFailure, governance.budgetRedisFailure, governance.limits]).toEqual(['open', 'closed', []]);
  });

  it('reads per-user-path and per-model limits from RATE_LIMITS', () => {
    const { governance } = buildConfig({ RATE_LIMITS: 'user:/acme/ rpm=100 tpm=5000; model:openai/gpt-4o parallel=3' });
    expect(governance.limits).toEqual([
      { scope: 'user', match: '/acme', limits: { requestsPerMinute: 100, tokensPerMinute: 5000 } },
      { scope: 'model', match: 'openai/gpt-4o', limits: { maxParallel: 3 } },
    ]);
  });

  it('names the variable on a bad value', () => {
    expect(() => buildConfig({ RATE_LIMITS: 'user:acme rpm=1' })).toThrow(/RATE_LIMITS/);
    expect(() => buildConfig({ RATE_LIMITS: 'user:/acme rpm=0' })).toThrow(/RATE_LIMITS/);
    expect(() => buildConfig({ BUDGET_REDIS_FAILURE: 'maybe' })).toThrow(/BUDGET_REDIS_FAILURE/);
  });
});
