import { GatewayError } from '@app/core';

/** What a `/p/{provider}/…` URL asks for. */
export interface PassthroughUrl {
  /** The provider segment, decoded and lower-cased (instance name or type name). */
  readonly provider: string;
  /** The path after the provider segment, with its leading `/` (or '' when there is none). */
  readonly rest: string;
  /** The query string with its `?`, or ''. */
  readonly query: string;
}

const PREFIX = '/p/';

/** Splits `/p/{provider}/{rest}?{query}`; the router only hands over URLs starting with `/p/`. */
export function parsePassthroughUrl(url: string): PassthroughUrl {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  const slash = path.indexOf('/', PREFIX.length);
  const segment = slash === -1 ? path.slice(PREFIX.length) : path.slice(PREFIX.length, slash);
  const rest = slash === -1 ? '' : path.slice(slash);
  let provider: string;
  try {
    provider = decodeURIComponent(segment).toLowerCase();
  } catch {
    throw GatewayError.invalidRequest('The provider segment of the passthrough URL is not valid percent-encoding.');
  }
  if (!provider) throw new GatewayError('not_found', 'Passthrough URLs name a provider: /p/{provider}/{path}.', { code: 'provider_not_found' });
  // Dot segments would let a caller climb out of the provider's base path with the provider's key.
  if (rest.split('/').some(isDotSegment)) {
    throw GatewayError.invalidRequest('Passthrough paths may not contain "." or ".." segments.');
  }
  return { provider, rest, query };
}

/**
 * The path relative to the provider's base URL. A leading `/v1` is dropped when the base URL
 * already ends in `/v1`, so `/p/openai/v1/models` and `/p/openai/models` reach the same endpoint.
 */
export function upstreamPath(url: PassthroughUrl, baseUrl: string): string {
  let rest = url.rest;
  if (new URL(baseUrl).pathname.replace(/\/+$/, '').endsWith('/v1') && (rest === '/v1' || rest.startsWith('/v1/'))) {
    rest = rest.slice(3);
  }
  return (rest || '/') + url.query;
}

function isDotSegment(segment: string): boolean {
  const decoded = segment.replace(/%2e/gi, '.');
  return decoded === '.' || decoded === '..';
}
