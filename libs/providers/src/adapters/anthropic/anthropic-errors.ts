import { redactSecrets } from '@app/core';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { relayableRateLimitHeaders } from '../../resilience/rate-limit-headers';
import { parseRetryAfter } from '../../resilience/retry-policy';

const MAX_MESSAGE_LENGTH = 1_000;

/** Anthropic's documented error types and the HTTP status each one comes with. */
const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The HTTP status an Anthropic error type comes with (500 for an unknown type): a batch's errored result and a stream's `error` event carry only the type. */
export function statusOfAnthropicErrorType(type: string | undefined): number {
  return (type && STATUS_BY_ERROR_TYPE[type]) || 500;
}

export interface ParsedAnthropicError {
  readonly type?: string;
  readonly message?: string;
}

/**
 * Reads `{"type":"error","error":{"type","message"}}` leniently; garbage yields `{}`. The message
 * comes back with credentials redacted: an upstream may echo the request's headers in it.
 */
export function parseAnthropicError(rawBody: string): ParsedAnthropicError {
  try {
    const body = JSON.parse(rawBody) as { error?: unknown };
    return readErrorObject(body?.error);
  } catch {
    return {};
  }
}

function readErrorObject(error: unknown): ParsedAnthropicError {
  if (!error || typeof error !== 'object') return {};
  const record = error as Record<string, unknown>;
  const message = nonEmpty(record.message);
  return { type: nonEmpty(record.type), message: message === undefined ? undefined : redactSecrets(message) };
}

/**
 * The failure for a non-2xx answer. 4xx keep their status (429 included), 5xx become 502; 529
 * (overloaded) is retried like a 503 by the shared retry policy. Only the parsed message travels.
 */
export function anthropicStatusFailure(provider: string, status: number, headers: Record<string, string | string[] | undefined>, rawBody: string): UpstreamFailure {
  const parsed = parseAnthropicError(rawBody);
  return failureFor(provider, status, parsed, `Upstream provider '${provider}' answered with HTTP ${status}.`, parseRetryAfter(headers), relayableRateLimitHeaders(headers));
}

/** The failure for an `error` event inside a 200 event stream; its status comes from the error type. */
export function anthropicStreamErrorFailure(provider: string, data: unknown): UpstreamFailure {
  const parsed = readErrorObject((data as { error?: unknown } | undefined)?.error);
  return failureFor(provider, statusOfAnthropicErrorType(parsed.type), parsed, `Upstream provider '${provider}' reported an error mid-stream.`);
}

function failureFor(
  provider: string,
  status: number,
  parsed: ParsedAnthropicError,
  fallback: string,
  retryAfterMs?: number,
  rateLimitHeaders?: Record<string, string>,
): UpstreamFailure {
  const serverSide = status >= 500;
  return new UpstreamFailure('status', provider, truncate(parsed.message ?? fallback), {
    status: serverSide ? 502 : status,
    upstreamStatus: status,
    retryAfterMs,
    rateLimitHeaders,
    upstreamType: serverSide ? undefined : parsed.type,
  });
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}
