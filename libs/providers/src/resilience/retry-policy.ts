import type { UpstreamConfig } from '@app/config';
import type { UpstreamFailure } from './upstream-failure';

// 529 is Anthropic's "overloaded": transient, like 503.
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504, 529]);

/** Whether a failed attempt may be tried again (only ever before the first byte reached the client). */
export function isRetryable(failure: UpstreamFailure): boolean {
  switch (failure.reason) {
    case 'connect':
    case 'reset':
      return true;
    case 'status':
      return failure.upstreamStatus !== undefined && RETRYABLE_STATUSES.has(failure.upstreamStatus);
    default:
      // Timeouts are not retried: the client already waited the full timeout once.
      return false;
  }
}

/**
 * Delay before retry number `retry` (1-based): exponential backoff with full jitter, or the
 * upstream's Retry-After when it gave one. Returns undefined when Retry-After asks for longer than
 * we are willing to hold the client, in which case the error goes back to the client instead.
 */
export function retryDelayMs(config: UpstreamConfig, retry: number, failure: UpstreamFailure, random = Math.random): number | undefined {
  if (failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs <= config.retryMaxDelayMs ? failure.retryAfterMs : undefined;
  }
  const ceiling = Math.min(config.retryMaxDelayMs, config.retryBaseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Parses Retry-After (delta-seconds or HTTP-date) and OpenAI's `retry-after-ms` into milliseconds. */
export function parseRetryAfter(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = first(headers['retry-after']);
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value?.trim();
}
