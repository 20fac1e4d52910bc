import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { sendError } from '../http/error-response';

/** The subprotocol browsers put the key in (they cannot set headers on a WebSocket). */
const KEY_PROTOCOL_PREFIX = 'openai-insecure-api-key.';
/** The one subprotocol the gateway answers with: browsers abort a handshake that selects none of theirs. */
export const REALTIME_PROTOCOL = 'realtime';

/** The subprotocols a client offered (`Sec-WebSocket-Protocol`, comma-separated, possibly repeated). */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (!header) return [];
  return header
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean);
}

/**
 * Makes a browser-style key (`openai-insecure-api-key.<key>`) the request's bearer credential, so
 * the gateway's one authenticator checks it like any other; a header credential wins over it.
 */
export function adoptProtocolKey(request: IncomingMessage): void {
  if (request.headers.authorization || request.headers['x-api-key']) return;
  const offered = offeredProtocols(request).find((protocol) => protocol.startsWith(KEY_PROTOCOL_PREFIX));
  const key = offered?.slice(KEY_PROTOCOL_PREFIX.length);
  if (key) request.headers.authorization = `Bearer ${key}`;
}

/** `ws`'s handleProtocols: `realtime` when offered, never anything else (the key protocol above all). */
export function chooseProtocol(protocols: Set<string>): string | false {
  return protocols.has(REALTIME_PROTOCOL) ? REALTIME_PROTOCOL : false;
}

/**
 * A fresh response bound to the request, not yet to its socket: admission policies may set headers
 * on it (rate-limit headers), and a refusal is written through it with the pipeline's error renderer.
 */
export function handshakeResponse(request: IncomingMessage): ServerResponse {
  const response = new ServerResponse(request);
  response.shouldKeepAlive = false;
  return response;
}

/** Answers an upgrade request with an HTTP error (OpenAI envelope) instead of a 101, then closes the socket. */
export function refuseUpgrade(response: ServerResponse, socket: Duplex, error: unknown): void {
  if (socket.destroyed) return;
  response.assignSocket(socket as never);
  response.once('finish', () => {
    response.detachSocket(socket as never);
    socket.end();
  });
  sendError(response, error, 'openai');
}
