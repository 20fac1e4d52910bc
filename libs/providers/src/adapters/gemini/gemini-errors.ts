import { redactSecrets } from '@app/core';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { parseRetryAfter } from '../../resilience/retry-policy';

const MAX_MESSAGE_LENGTH = 1_000;

/** Gemini's google.rpc status names → the HTTP status they stand for (used for mid-stream errors). */
const HTTP_BY_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

export interface ParsedGeminiError {
  message?: string;
  /** google.rpc status name, e.g. `RESOURCE_EXHAUSTED`. */
  status?: string;
  httpStatus?: number;
  /** From a `google.rpc.RetryInfo` detail (`"retryDelay": "17s"`). */
  retryDelayMs?: number;
}

/**
 * Builds the failure for a non-2xx Gemini answer. 4xx keep their status (429 stays 429), 5xx become
 * 502. Only the parsed message travels: never the raw body, which may echo request details.
 */
export function geminiStatusFailure(provider: string, status: number, headers: Record<string, string | string[] | undefined>, rawBody: string): UpstreamFailure {
  return failureFrom(provider, status, parseGeminiError(rawBody), parseRetryAfter(headers));
}

/** A `{"error":{…}}` event inside a 200 stream: its code says what went wrong, the client already has headers. */
export function geminiStreamErrorFailure(provider: string, parsed: ParsedGeminiError): UpstreamFailure {
  return failureFrom(provider, parsed.httpStatus ?? HTTP_BY_STATUS[parsed.status ?? ''] ?? 500, parsed, undefined);
}

function failureFrom(provider: string, status: number, parsed: ParsedGeminiError, headerRetryMs: number | undefined): UpstreamFailure {
  const message = parsed.message ?? `Upstream provider '${provider}' answered with HTTP ${status}.`;
  return new UpstreamFailure('status', provider, truncate(message), {
    status: status >= 500 ? 502 : status,
    upstreamStatus: status,
    retryAfterMs: headerRetryMs ?? parsed.retryDelayMs,
    code: parsed.status,
  });
}

/**
 * Reads `{"error":{"code","message","status","details"}}`, also wrapped in an array, leniently;
 * the message comes back with credentials redacted (an upstream may echo the request's key).
 */
export function parseGeminiError(rawBody: string): ParsedGeminiError {
  try {
    return readError(JSON.parse(rawBody));
  } catch {
    return {};
  }
}

export function readError(body: unknown): ParsedGeminiError {
  const envelope = (Array.isArray(body) ? body[0] : body) as { error?: Record<string, unknown> } | undefined;
  const error = envelope?.error;
  if (!error || typeof error !== 'object') return {};
  return {
    message: typeof error.message === 'string' && error.message !== '' ? redactSecrets(error.message) : undefined,
    status: typeof error.status === 'string' ? error.status : undefined,
    httpStatus: typeof error.code === 'number' ? error.code : undefined,
    retryDelayMs: retryDelay(error.details),
  };
}

function retryDelay(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  const info = details.find((detail) => String(detail?.['@type']).endsWith('google.rpc.RetryInfo'));
  const match = /^(\d+(?:\.\d+)?)s$/.exec(String(info?.retryDelay ?? ''));
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}
