import type { IncomingHttpHeaders } from 'node:http';
import { isCredentialName } from './passthrough-credentials';

/**
 * Request headers never forwarded: the client's credentials (these and every other
 * credential-shaped name, see isCredentialName; the provider's are injected by its adapter),
 * cookies, the client's Host, hop-by-hop headers, proxy-chain headers and Switchyard's own.
 * `expect` is included because undici refuses it (the body is streamed anyway).
 */
const DROPPED_REQUEST_HEADERS = new Set([
  'authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'cookie2',
  'host',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'forwarded',
  'x-real-ip',
  'expect',
  'x-request-id',
]);
const DROPPED_REQUEST_PREFIXES = ['proxy-', 'x-forwarded-', 'x-switchyard-'];

/** Response headers never passed back: upstream cookies and hop-by-hop headers. */
const DROPPED_RESPONSE_HEADERS = new Set(['set-cookie', 'set-cookie2', 'connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
const DROPPED_RESPONSE_PREFIXES = ['proxy-'];

/** The gateway's own X-Request-ID wins on the way back; the provider's stays visible under this name. */
const UPSTREAM_REQUEST_ID_HEADER = 'x-upstream-request-id';

/** The client's headers as they may reach the provider, plus the exchange's request id. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, requestId: string): Record<string, string> {
  const listed = connectionTokens(headers.connection);
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_REQUEST_HEADERS.has(name) || listed.has(name)) continue;
    if (DROPPED_REQUEST_PREFIXES.some((prefix) => name.startsWith(prefix)) || isCredentialName(name)) continue;
    forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  forwarded['x-request-id'] = requestId;
  return forwarded;
}

/** The provider's response headers as they may reach the client. */
export function clientResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = connectionTokens(headers.connection);
  const relayed: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name) || listed.has(name)) continue;
    if (DROPPED_RESPONSE_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    relayed[name === 'x-request-id' ? UPSTREAM_REQUEST_ID_HEADER : name] = value;
  }
  return relayed;
}

/** Header names listed in Connection are hop-by-hop too (RFC 9110 §7.6.1). */
function connectionTokens(value: string | string[] | undefined): Set<string> {
  if (value === undefined) return new Set();
  const joined = Array.isArray(value) ? value.join(',') : value;
  return new Set(
    joined
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
}
