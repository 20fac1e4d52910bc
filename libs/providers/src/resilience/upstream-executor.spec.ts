import { buildConfig, type ProviderConfig } from '@app/config';
import { GatewayError } from '@app/core';
import type { GatewayMetrics } from '@app/observability';
import type { ProviderAdapter } from '../adapters/provider-adapter';
import type { ProviderInstance } from '../provider-instance';
import { CircuitBreaker } from './circuit-breaker';
import { UpstreamExecutor } from './upstream-executor';
import { UpstreamFailure } from './upstream-failure';

const config = buildConfig({ UPSTREAM_MAX_RETRIES: '2', UPSTREAM_RETRY_BASE_DELAY: '1ms', UPSTREAM_RETRY_MAX_DELAY: '5ms', CIRCUIT_BREAKER_THRESHOLD: '3' });

function setup() {
  const retries: string[] = [];
  const metrics = { countRetry: (_provider: string, reason: string) => retries.push(reason) } as unknown as GatewayMetrics;
  const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 60_000 });
  const provider: ProviderInstance = { name: 'p', config: {} as ProviderConfig, adapter: {} as ProviderAdapter, breaker };
  return { executor: new UpstreamExecutor(config, metrics), provider, breaker, retries };
}

const failure503 = () => new UpstreamFailure('status', 'p', 'busy', { status: 502, upstreamStatus: 503 });

describe('UpstreamExecutor', () => {
  it('retries retryable failures and returns the first success', async () => {
    const { executor, provider, retries } = setup();
    const attempt = jest
      .fn()
      .mockRejectedValueOnce(failure503())
      .mockRejectedValueOnce(new UpstreamFailure('reset', 'p', 'reset'))
      .mockResolvedValue('ok');
    await expect(executor.execute(provider, new AbortController().signal, attempt)).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(retries).toEqual(['503', 'reset']);
  });

  it('gives up after the configured retries with the last failure', async () => {
    const { executor, provider } = setup();
    const attempt = jest.fn().mockRejectedValue(failure503());
    await expect(executor.execute(provider, new AbortController().signal, attempt)).rejects.toMatchObject({ status: 502, upstreamStatus: 503 });
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('does not retry a client error and does not count it against the provider', async () => {
    const { executor, provider, breaker } = setup();
    const attempt = jest.fn().mockRejectedValue(new UpstreamFailure('status', 'p', 'bad', { status: 400, upstreamStatus: 400 }));
    for (let i = 0; i < 5; i++) await expect(executor.execute(provider, new AbortController().signal, attempt)).rejects.toMatchObject({ status: 400 });
    expect(attempt).toHaveBeenCalledTimes(5);
    expect(breaker.currentState).toBe('closed');
  });

  it('opens the circuit after repeated failures and then fails fast with 503', async () => {
    const { executor, provider } = setup();
    const attempt = jest.fn().mockRejectedValue(failure503());
    await expect(executor.execute(provider, new AbortController().signal, attempt)).rejects.toBeInstanceOf(UpstreamFailure);
    expect(attempt).toHaveBeenCalledTimes(3);
    await expect(executor.execute(provider, new AbortController().signal, attempt)).rejects.toMatchObject({ status: 503, code: 'provider_unavailable' });
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it("passes the gateway's own rejections through untouched", async () => {
    const { executor, provider, breaker } = setup();
    const rejection = GatewayError.invalidRequest('no', 'tools');
    await expect(executor.execute(provider, new AbortController().signal, () => Promise.reject(rejection))).rejects.toBe(rejection);
    expect(breaker.currentState).toBe('closed');
  });

  it('stops retrying once the client has gone', async () => {
    const { executor, provider } = setup();
    const controller = new AbortController();
    const attempt = jest.fn().mockImplementation(async () => {
      controller.abort();
      throw failure503();
    });
    await expect(executor.execute(provider, controller.signal, attempt)).rejects.toMatchObject({ reason: 'aborted' });
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});
