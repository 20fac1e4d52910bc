import { generateKeyValue, KeyDigester, MANAGED_KEY_PREFIX, redactKeyValue } from './key-digest';

describe('managed key secrets and digests', () => {
  it('makes prefixed keys of 32 random bytes, different every time', () => {
    const values = new Set(Array.from({ length: 100 }, generateKeyValue));
    expect(values.size).toBe(100);
    for (const value of values) {
      expect(value.startsWith(MANAGED_KEY_PREFIX)).toBe(true);
      expect(Buffer.from(value.slice(MANAGED_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    }
  });

  it('redacts to the prefix and the last four characters', () => {
    expect(redactKeyValue('sk-sy-abcdefghijklmnopqrstuvwxyz0123456789a1b2')).toBe('sk-sy-…a1b2');
  });

  it('digests with HMAC-SHA-256: stable for one secret, different under another', () => {
    const value = generateKeyValue();
    const digester = new KeyDigester('secret-a');
    expect(digester.digest(value)).toMatch(/^[0-9a-f]{64}$/);
    expect(digester.digest(value)).toBe(new KeyDigester('secret-a').digest(value));
    expect(digester.digest(value)).not.toBe(new KeyDigester('secret-b').digest(value));
    // Unset (or empty) means the fixed default, so keys survive restarts without a configured secret.
    expect(new KeyDigester(undefined).digest(value)).toBe(new KeyDigester('').digest(value));
    expect(digester.digest(value)).not.toContain(value.slice(MANAGED_KEY_PREFIX.length, 20));
  });

  it('compares digests in constant time, unequal lengths included', () => {
    const digester = new KeyDigester('s');
    const a = digester.digest('a');
    expect(KeyDigester.equal(a, digester.digest('a'))).toBe(true);
    expect(KeyDigester.equal(a, digester.digest('b'))).toBe(false);
    expect(KeyDigester.equal(a, a.slice(0, 10))).toBe(false);
  });
});
