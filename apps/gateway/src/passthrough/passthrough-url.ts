import { GatewayError } from '@app/core';
import { isCredentialName } from './passthrough-credentials';

/** What a `/p/{provider}/…` URL asks for. */
export interface PassthroughUrl {
  /** The provider segment, decoded and lower-cased (instance name or type name). */
  readonly provider: string;
  /** The path after the provider segment, with its leading `/` (or '' when there is none). */
  readonly rest: string;
  /** The query string with its `?`, or '', without the client's credential parameters. */
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
  if (rest.split(SEPARATORS).some(isDotSegment)) {
    throw GatewayError.invalidRequest('Passthrough paths may not contain "." or ".." segments, however encoded.');
  }
  return { provider, rest, query: withoutCredentialParams(query) };
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

/**
 * Path separators as some upstream sees them: WHATWG URL parsers read `\` as `/`, and servers
 * that decode before routing read `%2f` and `%5c` as separators too.
 */
const SEPARATORS = /[/\\]|%2f|%5c/i;
/** Segments made only of these characters cannot decode to a dot segment; most paths stop here. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_~:@!$&'()*+,=-]*$/;
/** Overlong UTF-8 lead bytes: `%c0%ae` and `%e0%80%ae` are `.` to lenient decoders. */
const OVERLONG = /%(c0|c1|e0%[89])/i;
/** Decoding rounds checked: catches `%252e%252e` on servers that decode twice. */
const DECODE_ROUNDS = 3;

/**
 * A segment that is, or decodes to, `.` or `..`: percent-encoded (`%2e`), double-encoded,
 * fullwidth or otherwise compatibility-equivalent (`%ef%bc%8e` NFKC-normalises to `.`), or with a
 * `;param` (`..;` is `..` to Tomcat-style servers). Overlong UTF-8 (`%c0%ae`) and other invalid
 * encodings cannot be judged, so they are refused as well.
 */
function isDotSegment(segment: string): boolean {
  if (PLAIN_SEGMENT.test(segment)) return false;
  let current = segment;
  for (let round = 0; round <= DECODE_ROUNDS; round++) {
    if (
      current
        .normalize('NFKC')
        .split(SEPARATORS)
        .some((part) => /^\.\.?$/.test(part.split(';', 1)[0]))
    )
      return true;
    if (!current.includes('%')) return false;
    try {
      current = decodeURIComponent(current);
    } catch {
      // What the upstream receives must decode; after that, a literal `%` (`100%25`) is plain text,
      // unless it is an overlong dot a lenient decoder would still read.
      return round === 0 || OVERLONG.test(current);
    }
  }
  return false;
}

/** The query without parameters that carry a client's credential: the provider's own is added by its adapter. */
function withoutCredentialParams(query: string): string {
  if (query.length <= 1) return query;
  const kept = query
    .slice(1)
    .split('&')
    .filter((pair) => !isCredentialName(parameterName(pair)));
  return kept.length > 0 ? `?${kept.join('&')}` : '';
}

function parameterName(pair: string): string {
  const equals = pair.indexOf('=');
  const raw = (equals === -1 ? pair : pair.slice(0, equals)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    throw GatewayError.invalidRequest('A query parameter name of the passthrough URL is not valid percent-encoding.');
  }
}
