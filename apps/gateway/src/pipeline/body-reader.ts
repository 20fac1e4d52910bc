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
 * past it is refused as soon as it does (and the request torn down, as an iterator's early exit
 * would); a body that ends short of its declared length, or a client that aborts mid-body, is a
 * ClientClosedError.
 *
 * Read with 'data'/'end' listeners rather than `for await`: the stream's async iterator made ~10
 * promises per request body, each one paying the AsyncLocalStorage hooks; this makes one.
 */
export function readBodyBytes(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  // Already over (the client left before the handler ran, or the body was read): nothing will be emitted.
  if (request.readableEnded) return request.complete ? Promise.resolve(Buffer.alloc(0)) : Promise.reject(new ClientClosedError());
  if (request.destroyed) return Promise.reject(new ClientClosedError());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | undefined): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onGone);
      request.off('close', onGone);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      settle(tooLarge(limit));
      request.destroy();
    };
    const onEnd = (): void => settle(request.complete ? undefined : new ClientClosedError());
    // An error (the connection reset mid-body) or a close before 'end': the client went away.
    const onGone = (): void => settle(new ClientClosedError());
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onGone);
    request.on('close', onGone);
  });
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
