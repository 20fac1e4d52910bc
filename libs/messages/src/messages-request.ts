import { GatewayError } from '@app/core';

/** The fields of a Messages request the gateway reads on every path; the rest is the upstream's business. */
export interface MessagesRoutingFields {
  readonly model: string;
  readonly stream: boolean;
}

/** `model` and `stream`, checked by hand (see chat-request.ts for why nothing more is validated here). */
export function readRoutingFields(body: Record<string, unknown>): MessagesRoutingFields {
  const { model, stream } = body;
  if (model === undefined || model === null || model === '') throw GatewayError.invalidRequest('model: Field required', 'model');
  if (typeof model !== 'string') throw GatewayError.invalidRequest('model: Input should be a valid string', 'model');
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') throw GatewayError.invalidRequest('stream: Input should be a valid boolean', 'stream');
  return { model, stream: stream === true };
}

/**
 * `max_tokens` and `messages` are required by the Messages API; checked on every path so that a
 * client hears the same 400 whichever provider its model resolves to.
 */
export function requireMessagesFields(body: Record<string, unknown>): void {
  const maxTokens = body.max_tokens;
  if (maxTokens === undefined || maxTokens === null) throw GatewayError.invalidRequest('max_tokens: Field required', 'max_tokens');
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) throw GatewayError.invalidRequest('max_tokens: Input should be a positive integer', 'max_tokens');
  requireMessages(body);
}

export function requireMessages(body: Record<string, unknown>): void {
  if (body.messages === undefined || body.messages === null) throw GatewayError.invalidRequest('messages: Field required', 'messages');
  if (!Array.isArray(body.messages)) throw GatewayError.invalidRequest('messages: Input should be a valid list', 'messages');
}
