import { anthropicErrorTypeForStatus, toAnthropicError } from './anthropic-envelope';
import { GatewayError } from './gateway-error';

/** Stands in for the providers lib's UpstreamFailure (a GatewayError with the upstream's status). */
function upstreamFailure(kind: 'invalid_request' | 'rate_limited' | 'upstream_error', status: number, upstreamStatus: number, upstreamType?: string): GatewayError {
  return Object.assign(new GatewayError(kind, 'upstream said no', { status, upstreamType }), { upstreamStatus });
}

describe('toAnthropicError', () => {
  it.each([
    ['invalid_request', GatewayError.invalidRequest('max_tokens: Field required', 'max_tokens'), 400, 'invalid_request_error'],
    ['authentication', new GatewayError('authentication', 'Invalid API key.'), 401, 'authentication_error'],
    ['permission', new GatewayError('permission', 'no'), 403, 'permission_error'],
    ['model_not_found', GatewayError.modelNotFound('nope'), 404, 'not_found_error'],
    ['payload_too_large', new GatewayError('payload_too_large', 'too big'), 413, 'request_too_large'],
    ['rate_limited', new GatewayError('rate_limited', 'slow down'), 429, 'rate_limit_error'],
    ['upstream_error', new GatewayError('upstream_error', 'broke'), 502, 'api_error'],
    ['upstream_timeout', new GatewayError('upstream_timeout', 'late'), 504, 'api_error'],
    ['internal', new GatewayError('internal', 'oops'), 500, 'api_error'],
    ['unavailable', new GatewayError('unavailable', 'circuit open'), 529, 'overloaded_error'],
  ])('renders a %s error in the Anthropic envelope', (_kind, error, status, type) => {
    const rendered = toAnthropicError(error);
    expect(rendered).toEqual({ status, body: { type: 'error', error: { type, message: (error as Error).message } } });
  });

  it('reports an overloaded upstream (503 or 529) as overloaded_error 529', () => {
    expect(toAnthropicError(upstreamFailure('upstream_error', 502, 503)).status).toBe(529);
    expect(toAnthropicError(upstreamFailure('upstream_error', 502, 529)).body.error.type).toBe('overloaded_error');
  });

  it("keeps an upstream's own Anthropic type for client errors, and maps foreign types by status", () => {
    expect(toAnthropicError(upstreamFailure('invalid_request', 402, 402, 'billing_error')).body.error.type).toBe('billing_error');
    expect(toAnthropicError(upstreamFailure('invalid_request', 401, 401, 'invalid_api_key')).body.error.type).toBe('authentication_error');
    expect(toAnthropicError(upstreamFailure('rate_limited', 429, 429, 'insufficient_quota')).body.error.type).toBe('rate_limit_error');
  });

  it('never leaks the message of an unexpected error', () => {
    const rendered = toAnthropicError(new Error('password=hunter2 at db.internal'));
    expect(rendered.status).toBe(500);
    expect(JSON.stringify(rendered.body)).not.toContain('hunter2');
  });

  it('maps statuses the way Anthropic documents them', () => {
    expect(anthropicErrorTypeForStatus(422)).toBe('invalid_request_error');
    expect(anthropicErrorTypeForStatus(503)).toBe('api_error');
    expect(anthropicErrorTypeForStatus(529)).toBe('overloaded_error');
  });
});
