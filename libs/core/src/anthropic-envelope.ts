import { GatewayError } from './gateway-error';

/** Anthropic's error envelope: `{"type":"error","error":{"type","message"}}`. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/** The error types Anthropic documents; an upstream type outside this set is not relayed as a type. */
const ANTHROPIC_ERROR_TYPES: ReadonlySet<string> = new Set([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
]);

/** Anthropic's non-standard "overloaded" status, which its SDKs retry like a 5xx. */
export const ANTHROPIC_OVERLOADED_STATUS = 529;

const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

/** The Anthropic error type that goes with an HTTP status (other 4xx are request errors, 5xx api errors). */
export function anthropicErrorTypeForStatus(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/**
 * Renders any thrown value as an Anthropic error. The status decides the type, as it does on
 * Anthropic's side, except that an overloaded upstream (503, Anthropic's 529, or the gateway's own
 * open circuit) becomes `overloaded_error` with 529. An upstream's own Anthropic type is kept
 * for client errors. Unknown errors never leak their message.
 */
export function toAnthropicError(error: unknown): { status: number; body: AnthropicErrorBody } {
  const gatewayError = error instanceof GatewayError ? error : new GatewayError('internal', 'The gateway failed to process the request.');
  const upstreamStatus = (gatewayError as { upstreamStatus?: unknown }).upstreamStatus;
  const overloaded = gatewayError.kind === 'unavailable' || upstreamStatus === 503 || upstreamStatus === ANTHROPIC_OVERLOADED_STATUS;
  const status = overloaded ? ANTHROPIC_OVERLOADED_STATUS : gatewayError.status;
  const upstreamType = gatewayError.upstreamType;
  const type = status < 500 && upstreamType !== undefined && ANTHROPIC_ERROR_TYPES.has(upstreamType) ? upstreamType : anthropicErrorTypeForStatus(status);
  return { status, body: anthropicErrorBody(type, gatewayError.message) };
}

export function anthropicErrorBody(type: string, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message } };
}
