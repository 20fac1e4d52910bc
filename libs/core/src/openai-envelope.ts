import { GatewayError, type GatewayErrorKind } from './gateway-error';

/** The OpenAI error envelope: `{"error":{"message","type","param","code"}}`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const OPENAI_TYPE_BY_KIND: Record<GatewayErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  model_not_found: 'invalid_request_error',
  payload_too_large: 'invalid_request_error',
  rate_limited: 'rate_limit_error',
  upstream_error: 'upstream_error',
  upstream_timeout: 'timeout_error',
  unavailable: 'service_unavailable',
  not_implemented: 'not_implemented',
  internal: 'server_error',
};

/** Renders any thrown value as an OpenAI error; unknown errors never leak their message. */
export function toOpenAIError(error: unknown): { status: number; body: OpenAIErrorBody } {
  const gatewayError = error instanceof GatewayError ? error : new GatewayError('internal', 'The gateway failed to process the request.');
  return {
    status: gatewayError.status,
    body: {
      error: {
        message: gatewayError.message,
        type: gatewayError.upstreamType ?? OPENAI_TYPE_BY_KIND[gatewayError.kind],
        param: gatewayError.param ?? null,
        code: gatewayError.code ?? null,
      },
    },
  };
}
