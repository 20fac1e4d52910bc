import { redactSecrets } from '@app/core';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { parseRetryAfter } from '../../resilience/retry-policy';

const MAX_MESSAGE_LENGTH = 1_000;

/** Bedrock statuses that are the model's or the service's fault though they are not 5xx. */
const UPSTREAM_FAULTS: Record<number, number> = {
  408: 504, // ModelTimeoutException
  424: 502, // ModelErrorException
};

/**
 * Builds the failure for a non-2xx Bedrock answer. The error type comes from the
 * `x-amzn-ErrorType` header (`ThrottlingException:http://internal.amazon.com/…`), the text from the
 * `{"message"}` body; 4xx keep their status (429 stays retryable), 5xx become 502. Only the parsed
 * message travels, never the raw body, and with credentials (the AWS key id, session token …)
 * redacted.
 */
export function bedrockStatusFailure(provider: string, status: number, headers: Record<string, string | string[] | undefined>, rawBody: string): UpstreamFailure {
  const type = errorType(headers['x-amzn-errortype']) ?? parseBody(rawBody).type;
  const message = parseBody(rawBody).message ?? `Upstream provider '${provider}' answered with HTTP ${status}${type ? ` (${type})` : ''}.`;
  const clientStatus = UPSTREAM_FAULTS[status] ?? (status >= 500 ? 502 : status);
  return new UpstreamFailure('status', provider, truncate(message), {
    status: clientStatus,
    upstreamStatus: status,
    retryAfterMs: parseRetryAfter(headers),
    upstreamType: clientStatus < 500 ? type : undefined,
  });
}

/** Stream exception members and the status Bedrock documents for each (ConverseStreamOutput). */
const STREAM_EXCEPTION_STATUS: Record<string, number> = {
  internalServerException: 500,
  modelStreamErrorException: 424,
  serviceUnavailableException: 503,
  throttlingException: 429,
  validationException: 400,
};

/** A mid-stream exception frame (`:message-type: exception`): the client stream ends with its message. */
export function bedrockStreamException(provider: string, exceptionType: string, payload: string): UpstreamFailure {
  const message = parseBody(payload).message ?? `Upstream provider '${provider}' reported ${exceptionType || 'an error'} mid-stream.`;
  const status = STREAM_EXCEPTION_STATUS[exceptionType] ?? 500;
  return new UpstreamFailure('status', provider, truncate(message), {
    status: status >= 500 || status === 424 ? 502 : status,
    upstreamStatus: status,
    code: exceptionType || undefined,
  });
}

function errorType(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const type = value?.split(':')[0]?.trim();
  return type ? type : undefined;
}

function parseBody(rawBody: string): { message?: string; type?: string } {
  try {
    const body = JSON.parse(rawBody) as Record<string, unknown>;
    const message = body.message ?? body.Message;
    const type = body.__type;
    return {
      message: typeof message === 'string' && message ? message : undefined,
      type: typeof type === 'string' && type ? type.split('#').pop() : undefined,
    };
  } catch {
    return {};
  }
}

function truncate(text: string): string {
  const message = redactSecrets(text);
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}
