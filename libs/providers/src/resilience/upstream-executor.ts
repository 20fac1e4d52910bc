import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { GatewayMetrics } from '@app/observability';
import type { ProviderInstance } from '../provider-instance';
import { isRetryable, retryDelayMs } from './retry-policy';
import { UpstreamFailure } from './upstream-failure';

/** Failures that say the provider is unhealthy (as opposed to a bad request or a cancelled one). */
function countsAgainstProvider(failure: UpstreamFailure): boolean {
  if (failure.reason === 'aborted') return false;
  if (failure.reason === 'status') return (failure.upstreamStatus ?? 500) >= 500;
  return true;
}

/**
 * Runs one logical upstream call with the provider's circuit breaker and the retry policy. The
 * attempt function must resolve only once the call has produced its first byte for the client, so
 * everything retried here is invisible to the client.
 */
@Injectable()
export class UpstreamExecutor {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  async execute<T>(provider: ProviderInstance, signal: AbortSignal, attempt: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      if (!provider.breaker.tryAcquire()) throw this.circuitOpen(provider);
      let failure: UpstreamFailure;
      try {
        const result = await attempt();
        provider.breaker.success();
        return result;
      } catch (error) {
        // The gateway's own rejections (e.g. an untranslatable field) say nothing about the provider.
        if (error instanceof GatewayError && !(error instanceof UpstreamFailure)) {
          provider.breaker.release();
          throw error;
        }
        failure = toFailure(provider, error);
      }
      if (cancelledByClient(signal)) failure = new UpstreamFailure('aborted', provider.name, 'The request was cancelled.', { status: 499 });
      if (countsAgainstProvider(failure)) provider.breaker.failure();
      else if (failure.reason === 'aborted') provider.breaker.release();
      else provider.breaker.success();
      const delay = retry < this.config.upstream.maxRetries && isRetryable(failure) ? retryDelayMs(this.config.upstream, retry + 1, failure) : undefined;
      if (delay === undefined) throw failure;
      this.metrics.countRetry(provider.name, failure.reason === 'status' ? String(failure.upstreamStatus) : failure.reason);
      await sleep(delay, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) throw failure;
    }
  }

  private circuitOpen(provider: ProviderInstance): GatewayError {
    const seconds = Math.ceil(provider.breaker.retryInMs() / 1000);
    return new GatewayError('unavailable', `Provider '${provider.name}' is temporarily unavailable after repeated failures; retry in about ${seconds}s.`, {
      code: 'provider_unavailable',
    });
  }
}

/** An aborted signal whose reason is not a deadline means the client went away. */
function cancelledByClient(signal: AbortSignal): boolean {
  return signal.aborted && (signal.reason as { name?: string } | undefined)?.name !== 'TimeoutError';
}

function toFailure(provider: ProviderInstance, error: unknown): UpstreamFailure {
  if (error instanceof UpstreamFailure) return error;
  return new UpstreamFailure('protocol', provider.name, `Upstream provider '${provider.name}' sent a response the gateway could not read.`, { cause: error });
}
