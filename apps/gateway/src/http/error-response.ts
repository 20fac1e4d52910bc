import type { ServerResponse } from 'node:http';
import { toAnthropicError, toOpenAIError } from '@app/core';
import type { ErrorDialect } from './hot-route';

const RENDERERS: Record<ErrorDialect, (error: unknown) => { status: number; body: unknown }> = { openai: toOpenAIError, anthropic: toAnthropicError };

/** Writes an error in the route's dialect, unless the response has already started. */
export function sendError(response: ServerResponse, error: unknown, dialect: ErrorDialect): void {
  if (response.headersSent) {
    if (!response.writableEnded) response.end();
    return;
  }
  // Anthropic's clients read the request id from `request-id`; the router has set `x-request-id`.
  if (dialect === 'anthropic' && !response.hasHeader('request-id')) response.setHeader('request-id', String(response.getHeader('x-request-id') ?? ''));
  const rendered = RENDERERS[dialect](error);
  const body = JSON.stringify(rendered.body);
  response.writeHead(rendered.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
