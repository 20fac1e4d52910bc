import { setTimeout as sleep } from 'node:timers/promises';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { openAIStatusFailure } from '../openai/openai-errors';

/** The error bodies OpenAI sends for the statuses tests ask for most; others get a generic one. */
const ERROR_SHAPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

/**
 * The failure a real OpenAI-dialect provider answering `status` produces, built by the same
 * function from the same headers and body, so retries, failover, the breaker and the client's
 * `Retry-After` behave exactly as they would against a real upstream.
 */
export function mockStatusFailure(provider: string, model: string, status: number, retryAfterSeconds: number | undefined): UpstreamFailure {
  const shape = ERROR_SHAPES[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
  const body = { error: { message: `Mock failure: HTTP ${status}, as model '${model}' asks.`, type: shape.type, param: null, code: shape.code } };
  const headers = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return openAIStatusFailure(provider, status, headers, JSON.stringify(body));
}

/** What a real connection reset looks like once the upstream HTTP layer has classified it. */
export function mockResetFailure(provider: string): UpstreamFailure {
  return new UpstreamFailure('reset', provider, `Upstream provider '${provider}' closed the connection unexpectedly.`, { status: 502 });
}

/** What a real upstream that takes longer than HTTP_FIRST_BYTE_TIMEOUT produces. */
export function mockFirstByteTimeout(provider: string): UpstreamFailure {
  return new UpstreamFailure('first_byte_timeout', provider, `Upstream provider '${provider}' did not start answering in time.`, { status: 504 });
}

/** What a real stream that stays silent longer than HTTP_TIMEOUT produces. */
export function mockIdleTimeout(provider: string): UpstreamFailure {
  return new UpstreamFailure('timeout', provider, `Upstream provider '${provider}' timed out.`, { status: 504 });
}

/**
 * Waits `ms`, or fails as a cancelled upstream call does when the signal aborts first: a deadline
 * (TimeoutError) is a timeout, anything else (the client left) a cancellation.
 */
export async function mockWait(provider: string, ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal.aborted) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    const deadline = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
    throw new UpstreamFailure(deadline ? 'timeout' : 'aborted', provider, `Upstream provider '${provider}' ${deadline ? 'timed out' : 'call was cancelled'}.`, {
      status: deadline ? 504 : 502,
      cause: signal.reason,
    });
  }
}
