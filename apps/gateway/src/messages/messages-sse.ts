import { toAnthropicError } from '@app/core';

/**
 * A failure after the stream has started, as Anthropic reports one: an `error` event carrying the
 * error envelope (its SDKs raise it as the matching typed error).
 */
export function errorEvent(error: unknown): string {
  return `event: error\ndata: ${JSON.stringify(toAnthropicError(error).body)}\n\n`;
}
