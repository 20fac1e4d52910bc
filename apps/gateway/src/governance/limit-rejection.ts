import type { LimitCheck, LimitVerdict } from '@app/governance';
import { Rejection } from '../pipeline/admission';

const UNIT: Record<string, string> = { requests: 'requests per minute', tokens: 'tokens per minute', concurrency: 'requests in flight' };

function describe(check: LimitCheck): string {
  const colon = check.subject.indexOf(':');
  const scope = check.subject.slice(0, colon);
  const name = check.subject.slice(colon + 1);
  return scope === 'key' ? `key '${name}'` : scope === 'user' ? `user path '${name}'` : `model '${name}'`;
}

function limitOf(check: LimitCheck, kind: string): number | undefined {
  return kind === 'requests' ? check.requestsPerMinute : kind === 'tokens' ? check.tokensPerMinute : check.maxParallel;
}

/** The 429 of a refused acquire: which limit of which subject, and when to try again. */
export function limitRejection(checks: readonly LimitCheck[], verdict: LimitVerdict): Rejection {
  const { index, kind, retryAfterMs } = verdict.refused!;
  const check = checks[index];
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new Rejection(429, `Rate limit reached for ${describe(check)}: ${limitOf(check, kind)} ${UNIT[kind]}. Try again in ${seconds}s.`, 'rate_limit_exceeded', retryAfterMs);
}
