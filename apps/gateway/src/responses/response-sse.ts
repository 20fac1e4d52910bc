import type { ServerResponse } from 'node:http';
import type { ResponseEvent } from '@app/responses';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** Writes Responses events as OpenAI does (`event:` line with the type, then `data:`), one write per batch. */
export function writeEvents(response: ServerResponse, events: readonly ResponseEvent[]): void {
  if (events.length === 0 || response.destroyed) return;
  let text = '';
  for (const event of events) text += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  response.write(text);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
