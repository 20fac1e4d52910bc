import { GatewayError } from '@app/core';

/** Why an upstream attempt failed; drives retry, breaker and client status decisions. */
export type FailureReason = 'status' | 'connect' | 'reset' | 'timeout' | 'first_byte_timeout' | 'aborted' | 'protocol';

/**
 * Thrown by adapters for a failed upstream attempt. It is a GatewayError, so when retries are
 * exhausted it can go to the client as it is.
 */
export class UpstreamFailure extends GatewayError {
  constructor(
    readonly reason: FailureReason,
    readonly provider: string,
    message: string,
    options: {
      status?: number;
      upstreamStatus?: number;
      retryAfterMs?: number;
      rateLimitHeaders?: Record<string, string>;
      code?: string;
      upstreamType?: string;
      param?: string;
      cause?: unknown;
    } = {},
  ) {
    super(reasonKind(reason, options.status), message, {
      status: options.status,
      code: options.code,
      upstreamType: options.upstreamType,
      param: options.param,
      cause: options.cause,
    });
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterMs = options.retryAfterMs;
    this.rateLimitHeaders = options.rateLimitHeaders;
  }

  readonly upstreamStatus?: number;
  readonly retryAfterMs?: number;
  /** The upstream's rate-limit headers (see rate-limit-headers.ts), relayed with the final error. */
  readonly rateLimitHeaders?: Record<string, string>;
}

function reasonKind(reason: FailureReason, status?: number) {
  if (reason === 'timeout' || reason === 'first_byte_timeout') return 'upstream_timeout' as const;
  if (reason === 'status' && status !== undefined && status < 500) return status === 429 ? ('rate_limited' as const) : ('invalid_request' as const);
  return 'upstream_error' as const;
}
