import { buildConfig } from '@app/config';
import type { TokenUsage } from '@app/core';
import {
  type AdmissionStore,
  admissionStoreFor,
  type Budget,
  BudgetsService,
  GovernanceMetrics,
  MemoryBudgetLedger,
  MemoryRateLimitStore,
  type SpendPricing,
} from '@app/governance';
import type { RoutePlan } from '@app/providers';
import { INFERENCE_ONLY } from '../auth/caller';
import { Rejection } from '../pipeline/admission';
import type { Exchange } from '../pipeline/exchange';
import { GovernancePolicy } from './governance.policy';

const PLAN = { selector: 'openai/gpt-4o-mini', targets: [{ provider: { name: 'openai' }, model: 'gpt-4o-mini' }] } as unknown as RoutePlan;
const LIMITS = { requestsPerMinute: 2, tokensPerMinute: 10_000, maxParallel: 5 };

function exchange(route = '/v1/chat/completions', limits: object | undefined = LIMITS): Exchange & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  return {
    route,
    headers,
    caller: { keyId: 'key_1', userPath: null, scopes: INFERENCE_ONLY, limits },
    bodyText: '{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":10}',
    body: { max_tokens: 10 },
    response: { setHeader: (name: string, value: string) => (headers[name] = value) },
  } as unknown as Exchange & { headers: Record<string, string> };
}

/** 1 µ$ per token either way: a request's reservation is its token bound. */
const pricing = {
  maxCostMicros: (_target: unknown, input: number, maxOutput: number) => input + maxOutput,
  costOf: (_target: unknown, usage: TokenUsage) => ({ total: usage.inputTokens + usage.outputTokens }),
} as unknown as SpendPricing;

function world(options: { budget?: number; store?: AdmissionStore; env?: Record<string, string> } = {}) {
  const limits = new MemoryRateLimitStore();
  const ledger = new MemoryBudgetLedger();
  const budgets: Budget[] =
    options.budget === undefined ? [] : [{ id: 'bud_1', keyId: 'key_1', userPath: null, period: { kind: 'seconds', seconds: 3600 }, amountMicros: options.budget }];
  const book = { empty: budgets.length === 0, covering: () => budgets };
  const journal = { add: () => undefined, durableSpend: () => Promise.resolve(0) };
  const metrics = new GovernanceMetrics();
  const service = new BudgetsService(book as never, ledger, journal as never, metrics);
  const store = options.store ?? admissionStoreFor(limits, ledger);
  const policy = new GovernancePolicy(buildConfig(options.env ?? {}), store, service, metrics, pricing);
  const spent = async () => (await ledger.read([service.plan({ keyId: 'key_1', userPath: null })!.counters[0].key]))[0];
  return { policy, limits, ledger, spent };
}

const broken: AdmissionStore = { admit: () => Promise.reject(new Error('connect ECONNREFUSED')), settle: () => Promise.resolve() };

describe('GovernancePolicy', () => {
  it("counts a managed key's own limits, with the headers of the caller's dialect", async () => {
    const { policy } = world();
    const first = exchange();
    expect(await policy.admit(first, PLAN)).not.toBeInstanceOf(Rejection);
    expect(first.headers).toMatchObject({ 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-limit-tokens': '10000' });
    const messages = exchange('/v1/messages');
    await policy.admit(messages, PLAN);
    expect(messages.headers).toMatchObject({ 'anthropic-ratelimit-requests-limit': '2', 'anthropic-ratelimit-requests-remaining': '0' });
    const refused = await policy.admit(exchange(), PLAN);
    expect(refused).toBeInstanceOf(Rejection);
    expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect((refused as Rejection).retryAfterMs).toBeGreaterThan(0);
  });

  it('fails open by default when the rate-limit store is down, and closed (503) when configured', async () => {
    expect(await world({ store: broken }).policy.admit(exchange(), PLAN)).toBeNull();
    expect(await world({ store: broken, env: { RATE_LIMIT_REDIS_FAILURE: 'closed' } }).policy.admit(exchange(), PLAN)).toMatchObject({
      status: 503,
      code: 'rate_limiter_unavailable',
    });
  });

  it('fails closed by default when a budget covers the request and the ledger is down', async () => {
    expect(await world({ store: broken, budget: 1_000 }).policy.admit(exchange(), PLAN)).toMatchObject({ status: 503, code: 'budget_unavailable' });
    expect(await world({ store: broken, budget: 1_000, env: { BUDGET_REDIS_FAILURE: 'open' } }).policy.admit(exchange(), PLAN)).toBeNull();
  });

  it('admits without a store call when nothing limits the caller and no budget covers it', async () => {
    const unlimited = { ...exchange(), caller: { keyId: 'master', userPath: null, scopes: INFERENCE_ONLY } } as Exchange;
    expect(world({ store: broken, env: { RATE_LIMIT_REDIS_FAILURE: 'closed' } }).policy.admit(unlimited, PLAN)).toBeNull();
  });

  it('reserves the token bound against the budget and settles to the true cost and usage', async () => {
    const { policy, spent } = world({ budget: 1_000_000 });
    const request = exchange();
    const hold = await policy.admit(request, PLAN);
    expect(hold).not.toBeInstanceOf(Rejection);
    const reserved = (await spent())!;
    expect(reserved).toBeGreaterThan(10); // input estimate + max_tokens 10
    policy.settle(hold as never, { status: 200, completed: true, usage: { inputTokens: 3, outputTokens: 4, cachedTokens: 0, reasoningTokens: 0 } });
    await new Promise(setImmediate);
    expect(await spent()).toBe(7);
  });

  it('a spent budget refuses with budget_exceeded and takes no rate-limit slot', async () => {
    const { policy, limits } = world({ budget: 5 });
    expect(await policy.admit(exchange(), PLAN)).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect(await policy.admit(exchange(), PLAN)).toMatchObject({ status: 429, code: 'budget_exceeded' });
    // Both slots of the 2 RPM key are still free: the refused requests were never counted.
    const acquire = () => limits.acquire({ checks: [{ subject: 'key:key_1', requestsPerMinute: 2 }], leaseId: String(Math.random()), tokens: 0, leaseTtlMs: 1000 });
    expect((await acquire()).allowed).toBe(true);
    expect((await acquire()).allowed).toBe(true);
    expect((await acquire()).allowed).toBe(false);
  });

  it('a rate-limited request leaves the budget unreserved', async () => {
    const { policy, spent } = world({ budget: 1_000_000 });
    const unlimitedTokens = { requestsPerMinute: 1 };
    await policy.admit(exchange('/v1/chat/completions', unlimitedTokens), PLAN);
    const afterFirst = await spent();
    expect(await policy.admit(exchange('/v1/chat/completions', unlimitedTokens), PLAN)).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(await spent()).toBe(afterFirst);
  });
});
