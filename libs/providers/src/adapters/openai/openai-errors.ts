import { redactSecrets } from '@app/core';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { relayableRateLimitHeaders } from '../../resilience/rate-limit-headers';
import { parseRetryAfter } from '../../resilience/retry-policy';

const MAX_MESSAGE_LENGTH = 1_000;

/**
 * Builds the failure for a non-2xx answer from an OpenAI-style upstream. Upstream 4xx statuses are
 * passed to the client as they are; 5xx become 502. Only the parsed message travels, never the
 * raw body, and its message with every credential redacted (self-hosted and third-party servers
 * echo the request's headers in their errors), so nothing an upstream echoes can leak.
 */
export function openAIStatusFailure(provider: string, status: number, headers: Record<string, string | string[] | undefined>, rawBody: string): UpstreamFailure {
  const parsed = parseOpenAIError(rawBody);
  const fallback = `Upstream provider '${provider}' answered with HTTP ${status}.`;
  return new UpstreamFailure('status', provider, truncate(parsed.message ?? fallback), {
    status: status >= 500 ? 502 : status,
    upstreamStatus: status,
    retryAfterMs: parseRetryAfter(headers),
    rateLimitHeaders: relayableRateLimitHeaders(headers),
    code: parsed.code,
    upstreamType: status >= 500 ? undefined : parsed.type,
    param: parsed.param,
  });
}

interface ParsedError {
  message?: string;
  type?: string;
  code?: string;
  param?: string;
}

/**
 * Reads `{"error":{"message","type","code","param"}}` (and `{"error":"text"}`) leniently, with
 * credentials redacted from the texts a client will see (mid-stream error events use it too).
 */
export function parseOpenAIError(rawBody: string): ParsedError {
  try {
    const body = JSON.parse(rawBody) as { error?: unknown; message?: unknown };
    const error = body?.error;
    if (typeof error === 'string') return { message: redactSecrets(error) };
    if (error && typeof error === 'object') {
      const record = error as Record<string, unknown>;
      return {
        message: redacted(record.message),
        type: asString(record.type),
        code: redacted(record.code) ?? (typeof record.code === 'number' ? String(record.code) : undefined),
        param: redacted(record.param),
      };
    }
    return { message: redacted(body?.message) };
  } catch {
    return {};
  }
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function redacted(value: unknown): string | undefined {
  const text = asString(value);
  return text === undefined ? undefined : redactSecrets(text);
}

function truncate(message: string): string {
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}
