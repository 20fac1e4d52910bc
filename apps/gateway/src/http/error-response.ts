import type { ServerResponse } from 'node:http';
import { toAnthropicError, toOpenAIError } from '@app/core';
import { rateLimitHeadersFor } from '@app/providers';
import type { ErrorDialect } from '../pipeline/hot-route.decorator';

const RENDERERS: Record<ErrorDialect, (error: unknown) => { status: number; body: unknown }> = { openai: toOpenAIError, anthropic: toAnthropicError };

/** Statuses whose client should wait before trying again (529 is Anthropic's overloaded). */
const RETRY_LATER_STATUSES = new Set([429, 503, 529]);

/** Writes an error in the route's dialect, unless the response has already started. */
export function sendError(response: ServerResponse, error: unknown, dialect: ErrorDialect): void {
  if (response.headersSent) {
    if (!response.writableEnded) response.end();
    return;
  }
  // Anthropic's clients read the request id from `request-id`; the router has set `x-request-id`.
  if (dialect === 'anthropic' && !response.hasHeader('request-id')) response.setHeader('request-id', String(response.getHeader('x-request-id') ?? ''));
  const rendered = RENDERERS[dialect](error);
  const body = JSON.stringify(rendered.body);
  response.writeHead(rendered.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...errorHeaders(error, rendered.status, dialect),
  });
  response.end(body);
}

/** The headers an error answer carries besides its body: when to retry, and the upstream's rate-limit state. Nest routes' filter uses it too. */
export function errorHeaders(error: unknown, status: number, dialect: ErrorDialect): Record<string, string> {
  return { ...retryAfterHeaders(error, status), ...upstreamRateLimitHeaders(error, dialect) };
}

/**
 * The upstream's own wait (an UpstreamFailure's retryAfterMs) relayed on the final 429/503, in both
 * forms the SDKs read: `retry-after` in whole seconds and OpenAI's `retry-after-ms`.
 */
function retryAfterHeaders(error: unknown, status: number): Record<string, string> {
  const { retryAfterMs: ms, upstreamStatus } = (error ?? {}) as { retryAfterMs?: unknown; upstreamStatus?: unknown };
  // An upstream 503 leaves the OpenAI routes as 502; its wait still applies.
  const retryLater = RETRY_LATER_STATUSES.has(status) || RETRY_LATER_STATUSES.has(upstreamStatus as number);
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || !retryLater) return {};
  return { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(Math.ceil(ms)) };
}

/** The upstream's rate-limit headers (an UpstreamFailure's rateLimitHeaders), under the route's dialect's names. */
function upstreamRateLimitHeaders(error: unknown, dialect: ErrorDialect): Record<string, string> {
  const headers = (error as { rateLimitHeaders?: Record<string, string> } | null)?.rateLimitHeaders;
  return headers ? rateLimitHeadersFor(dialect, headers) : {};
}
