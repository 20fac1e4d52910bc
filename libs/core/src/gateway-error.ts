/**
 * The error kinds the gateway reports. Each maps to an HTTP status and to a type/code in every
 * client dialect; see `openai-envelope.ts` (and later the Anthropic one).
 */
export type GatewayErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'model_not_found'
  | 'payload_too_large'
  | 'rate_limited'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'unavailable'
  | 'not_implemented'
  | 'internal';

const STATUS_BY_KIND: Record<GatewayErrorKind, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  model_not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  upstream_error: 502,
  upstream_timeout: 504,
  unavailable: 503,
  not_implemented: 501,
  internal: 500,
};

export interface GatewayErrorOptions {
  /** The request field at fault, reported as `param`. */
  readonly param?: string;
  /** Overrides the kind's default status, e.g. an upstream 422 passed through. */
  readonly status?: number;
  /** A machine-readable code for the client, e.g. `model_not_found`. */
  readonly code?: string;
  /** The upstream's own error type, when relaying one. */
  readonly upstreamType?: string;
  readonly cause?: unknown;
}

/** The one exception type every lib throws for conditions a client should hear about. */
export class GatewayError extends Error {
  readonly status: number;
  readonly param?: string;
  readonly code?: string;
  readonly upstreamType?: string;

  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.status = options.status ?? STATUS_BY_KIND[kind];
    this.param = options.param;
    this.code = options.code;
    this.upstreamType = options.upstreamType;
  }

  static invalidRequest(message: string, param?: string, code?: string): GatewayError {
    return new GatewayError('invalid_request', message, { param, code });
  }

  static modelNotFound(model: string): GatewayError {
    return new GatewayError('model_not_found', `The model '${model}' does not exist or is not served by any configured provider.`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
}
