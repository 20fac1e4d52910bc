import { isWithinUserPath, parseUserPath } from './user-path';

describe('user paths', () => {
  it('accepts rooted paths of safe segments, adding a missing leading slash', () => {
    expect(parseUserPath('/acme/search')).toEqual({ ok: true, path: '/acme/search' });
    expect(parseUserPath('team/alice')).toEqual({ ok: true, path: '/team/alice' });
    expect(parseUserPath('/a.b/c-d/e_f/user@example.com')).toEqual({ ok: true, path: '/a.b/c-d/e_f/user@example.com' });
  });

  it.each(['/', '/acme/', '//acme', '/acme//search', '/acme/../admin', '/./acme', '/acme/sp ace', '/caf\u00e9', '/a\u0000b', `/${'x'.repeat(255)}`])('refuses %j', (raw) => {
    expect(parseUserPath(raw).ok).toBe(false);
  });

  it('narrows segment-wise: a key may go below its own path, never beside or above it', () => {
    expect(isWithinUserPath('/acme/search', '/acme/search')).toBe(true);
    expect(isWithinUserPath('/acme/search', '/acme/search/bot')).toBe(true);
    expect(isWithinUserPath('/acme/search', '/acme/search/bot/v2')).toBe(true);
    expect(isWithinUserPath('/acme/search', '/acme/searchbot')).toBe(false);
    expect(isWithinUserPath('/acme/search', '/acme')).toBe(false);
    expect(isWithinUserPath('/acme/search', '/other')).toBe(false);
    // The master key has no base: every path.
    expect(isWithinUserPath(null, '/other')).toBe(true);
  });
});
