import type { IncomingMessage } from 'node:http';
import { GatewayError } from '@app/core';

/**
 * Reads a request body as JSON with a size limit, for the hot-path routes (which bypass Express's
 * body parser). Oversized bodies are refused from Content-Length before reading when possible.
 */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw GatewayError.invalidRequest('We could not parse the JSON body of your request. The body must be a JSON object.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw GatewayError.invalidRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('payload_too_large', `The request body exceeds the gateway's limit of ${limit} bytes.`, { code: 'request_too_large' });
}
