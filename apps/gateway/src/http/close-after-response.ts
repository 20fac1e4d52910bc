import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Closes the connection once this (early, error) response is written, when the request still has
 * body bytes to come. Otherwise Node keeps the connection to read and discard the rest of the
 * body for keep-alive, which lets a client that drips a huge declared body hold it until the
 * request timeout. With `Connection: close` Node ends and destroys the socket after the response.
 */
export function closeAfterResponse(response: ServerResponse): void {
  if (response.headersSent || !bodyPending(response.req)) return;
  response.setHeader('connection', 'close');
}

/** True while the request announces a body (length or chunked) that has not fully arrived. */
export function bodyPending(request: IncomingMessage): boolean {
  if (request.complete) return false;
  const { headers } = request;
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length']) > 0;
}
