import type { IncomingMessage } from 'node:http';
import { GatewayError } from '@app/core';

/**
 * Reads a request body as text with a size limit, for the hot-path routes (which bypass Express's
 * body parser). Oversized bodies are refused from Content-Length before reading when possible.
 */
export async function readBodyText(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/** Parses a body that must be a JSON object; `invalidJsonMessage` is worded for the caller's dialect. */
export function parseJsonObject(text: string, invalidJsonMessage = 'We could not parse the JSON body of your request. The body must be a JSON object.'): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw GatewayError.invalidRequest(invalidJsonMessage);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw GatewayError.invalidRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/** readBodyText + parseJsonObject: the body of an OpenAI-dialect hot-path request. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBodyText(request, limit));
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('payload_too_large', `The request body exceeds the gateway's limit of ${limit} bytes.`, { code: 'request_too_large' });
}
