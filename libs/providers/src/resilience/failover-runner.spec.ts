import { buildConfig, type ProviderConfig } from '@app/config';
import { GatewayError } from '@app/core';
import type { GatewayMetrics } from '@app/observability';
import type { ProviderAdapter } from '../adapters/provider-adapter';
import type { ProviderInstance } from '../provider-instance';
import type { ResolvedTarget, RoutePlan } from '../routing/route-plan';
import { CircuitBreaker } from './circuit-breaker';
import { FailoverRunner } from './failover-runner';
import { UpstreamExecutor } from './upstream-executor';
import { UpstreamFailure } from './upstream-failure';

const config = buildConfig({ UPSTREAM_MAX_RETRIES: '1', UPSTREAM_RETRY_BASE_DELAY: '1ms', UPSTREAM_RETRY_MAX_DELAY: '5ms' });

function target(name: string, threshold = 5): ResolvedTarget {
  const breaker = new CircuitBreaker({ failureThreshold: threshold, cooldownMs: 60_000 });
  const provider: ProviderInstance = { name, config: {} as ProviderConfig, adapter: {} as ProviderAdapter, breaker };
  return { provider, model: `${name}-model` };
}

function setup(names = ['a', 'b', 'c']) {
  const failovers: string[] = [];
  const metrics = {
    countRetry: () => undefined,
    countFailover: (from: string, to: string, reason: string) => failovers.push(`${from}->${to}:${reason}`),
  } as unknown as GatewayMetrics;
  const runner = new FailoverRunner(new UpstreamExecutor(config, metrics), metrics);
  const plan: RoutePlan = { selector: 'smart', alias: 'smart', targets: names.map((name) => target(name)) };
  return { runner, plan, failovers, context: { requestId: 'req-1', signal: new AbortController().signal } };
}

const status = (provider: string, code: number) => new UpstreamFailure('status', provider, `upstream ${code}`, { status: code < 500 ? code : 502, upstreamStatus: code });

describe('FailoverRunner', () => {
  it("fails over on a 503 after the target's own retries, and names the target that answered", async () => {
    const { runner, plan, failovers, context } = setup();
    const calls: string[] = [];
    const served = await runner.run(plan, context, async (t) => {
      calls.push(t.provider.name);
      if (t.provider.name === 'a') throw status('a', 503);
      return `from ${t.model}`;
    });
    expect(served).toEqual({ value: 'from b-model', target: plan.targets[1] });
    expect(calls).toEqual(['a', 'a', 'b']);
    expect(failovers).toEqual(['a->b:server_error']);
  });

  it.each([
    ['a connection reset', new UpstreamFailure('reset', 'a', 'reset'), 'reset'],
    ['a first-byte timeout', new UpstreamFailure('first_byte_timeout', 'a', 'slow', { status: 504 }), 'timeout'],
    ['a 429', status('a', 429), 'rate_limited'],
    ["Anthropic's 529", status('a', 529), 'server_error'],
    ['an unreadable answer', new Error('not JSON'), 'protocol'],
    ["a field the target's dialect cannot express", GatewayError.invalidRequest('no seed here', 'seed', 'unsupported_parameter'), 'unsupported'],
  ])('fails over on %s', async (_case, error, reason) => {
    const { runner, plan, failovers, context } = setup();
    const served = await runner.run(plan, context, async (t) => {
      if (t.provider.name === 'a') throw error;
      return 'ok';
    });
    expect(served.target.provider.name).toBe('b');
    expect(failovers).toEqual([`a->b:${reason}`]);
  });

  it('fails over past an open circuit without calling that provider', async () => {
    const { runner, plan, failovers, context } = setup();
    for (let i = 0; i < 5; i++) plan.targets[0].provider.breaker.failure();
    const calls: string[] = [];
    const served = await runner.run(plan, context, async (t) => {
      calls.push(t.provider.name);
      return 'ok';
    });
    expect(served.target.provider.name).toBe('b');
    expect(calls).toEqual(['b']);
    expect(failovers).toEqual(['a->b:circuit_open']);
  });

  it("does not fail over on the client's own error (400), nor on a 404", async () => {
    for (const code of [400, 404]) {
      const { runner, plan, failovers, context } = setup();
      const attempt = jest.fn().mockRejectedValue(status('a', code));
      await expect(runner.run(plan, context, attempt)).rejects.toMatchObject({ upstreamStatus: code });
      expect(attempt).toHaveBeenCalledTimes(1);
      expect(failovers).toEqual([]);
    }
  });

  it('does not fail over once the client has gone', async () => {
    const { runner, plan, failovers } = setup();
    const controller = new AbortController();
    const attempt = jest.fn().mockImplementation(async () => {
      controller.abort();
      throw new UpstreamFailure('reset', 'a', 'reset');
    });
    await expect(runner.run(plan, { requestId: 'r', signal: controller.signal }, attempt)).rejects.toMatchObject({ reason: 'aborted' });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(failovers).toEqual([]);
  });

  it("walks the whole plan and throws the last target's error when every target fails", async () => {
    const { runner, plan, failovers, context } = setup();
    const seen: string[] = [];
    const error = await runner
      .run(
        plan,
        context,
        async (t) => {
          throw t.provider.name === 'c' ? status('c', 429) : status(t.provider.name, 500);
        },
        (t, index) => seen.push(`${index}:${t.provider.name}`),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'c', upstreamStatus: 429 });
    expect(seen).toEqual(['0:a', '1:b', '2:c']);
    expect(failovers).toEqual(['a->b:server_error', 'b->c:server_error']);
  });
});
