import { GatewayError } from '@app/core';

/**
 * Builds what goes upstream from the client's body (translation and serialisation) before anything
 * is sent. It runs inside the retried attempt, so whatever it throws must leave as the client's 400:
 * the executor passes GatewayErrors through and releases the breaker, while any other error would
 * be taken for an unreadable upstream answer and counted against the provider (a few 5,000-deep
 * bodies would then open its circuit for every caller).
 */
export function prepareRequest<T>(body: Record<string, unknown>, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw unpreparable(body, error);
  }
}

/** JSON text of an upstream request body, failing as the client's 400 (see prepareRequest). */
export function serializeRequestBody(body: Record<string, unknown>): string {
  return prepareRequest(body, () => JSON.stringify(body));
}

function unpreparable(body: Record<string, unknown>, cause: unknown): GatewayError {
  const param = offendingField(body);
  const subject = param === undefined ? 'The request body' : `'${param}'`;
  const why = cause instanceof RangeError ? 'is nested too deeply to be forwarded' : 'could not be translated for the upstream provider';
  return new GatewayError('invalid_request', `${subject} ${why}.`, { param, code: 'invalid_request_body', cause });
}

/** The top-level field that cannot be serialised; looked for only once preparing has failed. */
function offendingField(body: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(body)) {
    try {
      JSON.stringify(value);
    } catch {
      return key;
    }
  }
  return undefined;
}
