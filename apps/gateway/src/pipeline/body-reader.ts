import type { IncomingMessage } from 'node:http';
import { GatewayError, jsonNestingExceeds } from '@app/core';
import type { ErrorDialect } from './hot-route.decorator';

/** The limits a JSON request body is read under (AppConfig satisfies it). */
export interface JsonBodyLimits {
  /** Largest body in bytes (BODY_SIZE_LIMIT). */
  readonly bodySizeLimit: number;
  /** Deepest nesting of objects/arrays (JSON_MAX_DEPTH). */
  readonly jsonMaxDepth: number;
}

/** Status of a request whose client went away before its answer (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

/** The client went away mid-body: an expected end, counted as a 499, never logged as a fault. */
export class ClientClosedError extends GatewayError {
  constructor() {
    super('invalid_request', 'The client closed the connection before its request body was complete.', { status: CLIENT_CLOSED_STATUS, code: 'client_closed' });
  }
}

const INVALID_JSON: Record<ErrorDialect, string> = {
  openai: 'We could not parse the JSON body of your request. The body must be a JSON object.',
  anthropic: 'There was an issue with the format of your request: the body is not valid JSON.',
};

/**
 * The one body reader of the hot path and passthrough (Express's parser serves the Nest routes).
 * A declared Content-Length over the limit is refused before anything is read; a body that grows
 * past it is refused as soon as it does; a body that ends short of its declared length, or a
 * client that aborts mid-body, is a ClientClosedError.
 */
export async function readBodyBytes(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new ClientClosedError();
  }
  if (!request.complete) throw new ClientClosedError();
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

/** The body's text, refused with a 400 when it nests deeper than the limit (checked on the bytes, before any parse). */
export async function readJsonText(request: IncomingMessage, limits: JsonBodyLimits): Promise<string> {
  const bytes = await readBodyBytes(request, limits.bodySizeLimit);
  assertJsonDepth(bytes, limits.jsonMaxDepth);
  // Invalid UTF-8 becomes U+FFFD, as in every JSON parser that decodes first.
  return bytes.toString('utf8');
}

/** 400 when `bytes` nest deeper than `maxDepth`; shared by the hot path and Express's JSON parser. */
export function assertJsonDepth(bytes: Uint8Array, maxDepth: number): void {
  if (jsonNestingExceeds(bytes, maxDepth)) {
    throw GatewayError.invalidRequest(`The JSON body nests objects and arrays deeper than ${maxDepth} levels.`, undefined, 'json_too_deep');
  }
}

/**
 * The depth check as Express's JSON parser `verify` hook, run on the raw bytes before it parses.
 * Non-UTF-8 charsets (body-parser accepts utf-16) are decoded first so the byte scan stays exact.
 */
export function jsonDepthVerifier(maxDepth: number): (request: unknown, response: unknown, body: Buffer, encoding: string) => void {
  return (_request, _response, body, encoding) => {
    const utf8 = !encoding || /^utf-?8$/i.test(encoding);
    assertJsonDepth(utf8 ? body : Buffer.from(new TextDecoder(encoding).decode(body)), maxDepth);
  };
}

/** Parses a body that must be a JSON object; the message for invalid JSON is worded for the caller's dialect. */
export function parseJsonObject(text: string, dialect: ErrorDialect = 'openai'): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw GatewayError.invalidRequest(INVALID_JSON[dialect]);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw GatewayError.invalidRequest('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('payload_too_large', `The request body exceeds the gateway's limit of ${limit} bytes.`, { code: 'request_too_large' });
}
