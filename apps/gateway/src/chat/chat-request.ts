import { GatewayError } from '@app/core';

/** The few fields of a chat completion request the gateway reads; everything else passes through. */
export interface ChatRoutingFields {
  readonly model: string;
  readonly stream: boolean;
  /** The client asked for the final usage chunk itself (`stream_options.include_usage`). */
  readonly clientWantsUsage: boolean;
}

/**
 * Checks only what routing needs, by hand: a full validation of messages, tools and sampling
 * fields is the upstream's job, and doing it here would cost every request for nothing.
 */
export function readChatRoutingFields(body: Record<string, unknown>): ChatRoutingFields {
  const { model, messages, stream, stream_options: streamOptions } = body;
  if (model === undefined || model === null || model === '') {
    throw GatewayError.invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  }
  if (typeof model !== 'string') throw GatewayError.invalidRequest("'model' must be a string.", 'model', 'invalid_type');
  if (messages === undefined || messages === null) {
    throw GatewayError.invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  }
  if (!Array.isArray(messages)) throw GatewayError.invalidRequest("'messages' must be an array.", 'messages', 'invalid_type');
  if (messages.length === 0) throw GatewayError.invalidRequest("'messages' must contain at least one message.", 'messages', 'empty_array');
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    throw GatewayError.invalidRequest("'stream' must be a boolean.", 'stream', 'invalid_type');
  }
  if (streamOptions !== undefined && streamOptions !== null && (typeof streamOptions !== 'object' || Array.isArray(streamOptions))) {
    throw GatewayError.invalidRequest("'stream_options' must be an object.", 'stream_options', 'invalid_type');
  }
  return {
    model,
    stream: stream === true,
    clientWantsUsage: (streamOptions as Record<string, unknown> | undefined)?.include_usage === true,
  };
}
