import { GatewayError } from '@app/core';
import { type ResolvedTarget, UpstreamFailure } from '@app/providers';

/** True when the provider speaks Anthropic's Messages API itself, so the body can go as it is. */
export function isNativeTarget(target: ResolvedTarget): boolean {
  return target.provider.config.dialect === 'anthropic';
}

/**
 * On the native path the client talks to Anthropic through the gateway, so an upstream server
 * error keeps Anthropic's own status (500, 504 …) instead of the gateway's generic 502; overloads
 * (529, reported as 503) are rendered as 529 by the envelope.
 */
export function withUpstreamStatus(error: unknown): unknown {
  if (!(error instanceof UpstreamFailure) || error.reason !== 'status') return error;
  const status = error.upstreamStatus;
  if (status === undefined || status < 500 || status === 503 || status === error.status) return error;
  return new GatewayError('upstream_error', error.message, { status, cause: error });
}
