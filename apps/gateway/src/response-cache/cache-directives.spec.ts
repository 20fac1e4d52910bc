import { GatewayError } from '@app/core';
import { NO_DIRECTIVES, parseCacheDirectives } from './cache-directives';

describe('parseCacheDirectives', () => {
  it('reads no header as no directive', () => {
    expect(parseCacheDirectives(undefined)).toBe(NO_DIRECTIVES);
  });

  it('reads no-cache, no-store and ttl, case-insensitively and combined', () => {
    expect(parseCacheDirectives('no-cache')).toEqual({ skipLookup: true, noStore: false, ttlMs: undefined });
    expect(parseCacheDirectives('No-Store')).toEqual({ skipLookup: true, noStore: true, ttlMs: undefined });
    expect(parseCacheDirectives('ttl=90')).toEqual({ skipLookup: false, noStore: false, ttlMs: 90_000 });
    expect(parseCacheDirectives(' no-cache , ttl=5 ')).toEqual({ skipLookup: true, noStore: false, ttlMs: 5_000 });
    expect(parseCacheDirectives(['no-cache', 'ttl=1'])).toEqual({ skipLookup: true, noStore: false, ttlMs: 1_000 });
  });

  it.each(['nocache', 'ttl=0', 'ttl=-1', 'ttl=1.5', 'ttl=abc', 'ttl=999999999'])('refuses %s with a 400 naming the header', (value) => {
    let thrown: unknown;
    try {
      parseCacheDirectives(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).status).toBe(400);
    expect((thrown as GatewayError).message).toContain('X-Switchyard-Cache');
  });
});
