import { toAnthropicError } from '@app/core';

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies in front of the gateway not to buffer the stream.
  'x-accel-buffering': 'no',
};

/**
 * A failure after the stream has started, as Anthropic reports one: an `error` event carrying the
 * error envelope (its SDKs raise it as the matching typed error).
 */
export function errorEvent(error: unknown): string {
  return `event: error\ndata: ${JSON.stringify(toAnthropicError(error).body)}\n\n`;
}
