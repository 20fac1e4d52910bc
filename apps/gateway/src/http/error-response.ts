import type { ServerResponse } from 'node:http';
import { toOpenAIError } from '@app/core';
import type { ErrorDialect } from './hot-route';

const RENDERERS: Record<ErrorDialect, typeof toOpenAIError> = { openai: toOpenAIError };

/** Writes an error in the route's dialect, unless the response has already started. */
export function sendError(response: ServerResponse, error: unknown, dialect: ErrorDialect): void {
  if (response.headersSent) {
    if (!response.writableEnded) response.end();
    return;
  }
  const rendered = RENDERERS[dialect](error);
  const body = JSON.stringify(rendered.body);
  response.writeHead(rendered.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
