import { GatewayError } from '@app/core';

/** What a request's `X-Switchyard-Cache` header asks of the cache. */
export interface CacheDirectives {
  /** `no-cache`: do not answer from the cache, but store the fresh answer. */
  readonly skipLookup: boolean;
  /** `no-store`: neither read nor write. */
  readonly noStore: boolean;
  /** `ttl=<seconds>`: this entry's lifetime. */
  readonly ttlMs?: number;
}

export const NO_DIRECTIVES: CacheDirectives = { skipLookup: false, noStore: false };

const MAX_TTL_SECONDS = 31_536_000;

/**
 * Parses `X-Switchyard-Cache`: comma-separated `no-cache`, `no-store`, `ttl=<seconds>`
 * (case-insensitive). Anything else is the caller's mistake, refused with a 400 naming the header
 * rather than silently ignored (a typo'd `no-store` must not store a private answer).
 */
export function parseCacheDirectives(header: string | string[] | undefined): CacheDirectives {
  if (header === undefined) return NO_DIRECTIVES;
  const raw = Array.isArray(header) ? header.join(',') : header;
  let skipLookup = false;
  let noStore = false;
  let ttlMs: number | undefined;
  for (const part of raw.split(',')) {
    const token = part.trim().toLowerCase();
    if (token === '') continue;
    if (token === 'no-cache') skipLookup = true;
    else if (token === 'no-store') noStore = true;
    else if (token.startsWith('ttl=')) ttlMs = parseTtl(token.slice(4));
    else throw invalid(`'${part.trim()}' is not a cache directive`);
  }
  return { skipLookup: skipLookup || noStore, noStore, ttlMs };
}

function parseTtl(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_TTL_SECONDS) throw invalid(`ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS}`);
  return Number(value) * 1000;
}

function invalid(detail: string): GatewayError {
  return GatewayError.invalidRequest(`Invalid X-Switchyard-Cache header: ${detail} (allowed: no-cache, no-store, ttl=<seconds>).`, 'X-Switchyard-Cache', 'invalid_header');
}
