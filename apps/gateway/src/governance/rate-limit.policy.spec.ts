import { buildConfig } from '@app/config';
import { GovernanceMetrics, MemoryRateLimitStore, type RateLimitStore } from '@app/governance';
import type { RoutePlan } from '@app/providers';
import { INFERENCE_ONLY } from '../auth/caller';
import { Rejection } from '../pipeline/admission';
import type { Exchange } from '../pipeline/exchange';
import { RateLimitPolicy } from './rate-limit.policy';

const PLAN = { selector: 'openai/gpt-4o-mini', targets: [] } as unknown as RoutePlan;

function exchange(route = '/v1/chat/completions'): Exchange & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  return {
    route,
    headers,
    caller: { keyId: 'key_1', userPath: null, scopes: INFERENCE_ONLY, limits: { requestsPerMinute: 2, tokensPerMinute: 10_000, maxParallel: 5 } },
    bodyText: '{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":10}',
    body: { max_tokens: 10 },
    response: { setHeader: (name: string, value: string) => (headers[name] = value) },
  } as unknown as Exchange & { headers: Record<string, string> };
}

const policy = (store: RateLimitStore, env: Record<string, string> = {}) => new RateLimitPolicy(buildConfig(env), store, new GovernanceMetrics());
const broken: RateLimitStore = { acquire: () => Promise.reject(new Error('connect ECONNREFUSED')), release: () => Promise.resolve() };

describe('RateLimitPolicy', () => {
  it("counts a managed key's own limits, with the headers of the caller's dialect", async () => {
    const limits = policy(new MemoryRateLimitStore());
    const first = exchange();
    expect(await limits.admit(first, PLAN)).not.toBeInstanceOf(Rejection);
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-limit-tokens': '10000' });
    const messages = exchange('/v1/messages');
    await limits.admit(messages, PLAN);
    expect(messages.headers).toMatchObject({ 'anthropic-ratelimit-requests-limit': '2', 'anthropic-ratelimit-requests-remaining': '0' });
    const refused = await limits.admit(exchange(), PLAN);
    expect(refused).toBeInstanceOf(Rejection);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect((refused as Rejection).retryAfterMs).toBeGreaterThan(0);
  });

  it('fails open by default when the store is down, and closed (503) when configured', async () => {
    expect(await policy(broken).admit(exchange(), PLAN)).toBeNull();
    expect(await policy(broken, { RATE_LIMIT_REDIS_FAILURE: 'closed' }).admit(exchange(), PLAN)).toMatchObject({ status: 503, code: 'rate_limiter_unavailable' });
  });

  it('admits without a store call when nothing limits the caller', async () => {
    const unlimited = { ...exchange(), caller: { keyId: 'master', userPath: null, scopes: INFERENCE_ONLY } } as Exchange;
    expect(await policy(broken, { RATE_LIMIT_REDIS_FAILURE: 'closed' }).admit(unlimited, PLAN)).toBeNull();
  });
});
