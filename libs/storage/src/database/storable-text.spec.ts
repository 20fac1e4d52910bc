import { storableNullableText, storableText } from './storable-text';

describe('storableText', () => {
  it('returns ordinary values unchanged (the same string, no copy)', () => {
    const value = 'gpt-4o-mini';
    expect(storableText(value, 255)).toBe(value);
    expect(storableText('ünïcödé 😀 pair', 255)).toBe('ünïcödé 😀 pair');
  });

  it('strips NUL characters', () => {
    expect(storableText('gpt\u0000-4o\u0000', 255)).toBe('gpt-4o');
    expect(storableText('\u0000', 255)).toBe('');
  });

  it('replaces lone surrogates with U+FFFD and keeps proper pairs', () => {
    expect(storableText('a\uD800b', 255)).toBe('a\uFFFDb');
    expect(storableText('a\uDC00b', 255)).toBe('a\uFFFDb');
    expect(storableText('\uDC00\uD800', 255)).toBe('\uFFFD\uFFFD');
    expect(storableText('end\uD83D', 255)).toBe('end\uFFFD');
    expect(storableText('😀\uD800😀', 255)).toBe('😀\uFFFD😀');
  });

  it('cuts to the column length in characters, never inside a surrogate pair', () => {
    expect(storableText('x'.repeat(300), 255)).toBe('x'.repeat(255));
    // 255 emoji are 510 UTF-16 units but 255 characters: PostgreSQL's varchar(255) takes them.
    expect(storableText('😀'.repeat(300), 255)).toBe('😀'.repeat(255));
    expect(storableText('ab😀', 3)).toBe('ab😀');
    expect(storableText('abc😀', 3)).toBe('abc');
  });

  it('cleans before cutting, so removed NULs do not count', () => {
    expect(storableText('\u0000'.repeat(10) + 'abc', 3)).toBe('abc');
  });

  it('keeps null as null for nullable columns', () => {
    expect(storableNullableText(null, 10)).toBeNull();
    expect(storableNullableText(undefined, 10)).toBeNull();
    expect(storableNullableText('a\u0000', 10)).toBe('a');
  });
});
