import { jsonNestingExceeds } from './json-depth';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('jsonNestingExceeds', () => {
  it('counts nested objects and arrays', () => {
    expect(jsonNestingExceeds(bytes('{"a":[{"b":1}]}'), 3)).toBe(false);
    expect(jsonNestingExceeds(bytes('{"a":[{"b":[]}]}'), 3)).toBe(true);
    expect(jsonNestingExceeds(bytes('[[],[],[]]'), 2)).toBe(false);
  });

  it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
    expect(jsonNestingExceeds(bytes('{"a":"[[[[{{{{"}'), 1)).toBe(false);
    expect(jsonNestingExceeds(bytes('{"a":"\\"[[[[","b":"\\\\"}'), 1)).toBe(false);
    expect(jsonNestingExceeds(bytes('{"a":"\\\\",  "b":[[]]}'), 2)).toBe(true);
  });

  it('is not fooled by multi-byte UTF-8 or invalid bytes', () => {
    expect(jsonNestingExceeds(bytes('{"ü[":"日本{"}'), 1)).toBe(false);
    expect(jsonNestingExceeds(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 1)).toBe(false);
  });

  it('treats an unterminated string as the end (JSON.parse refuses it next)', () => {
    expect(jsonNestingExceeds(bytes('[[["abc'), 2)).toBe(true);
    expect(jsonNestingExceeds(bytes('["abc\\"[[['), 1)).toBe(false);
  });

  it('refuses a depth-100k document without recursion', () => {
    expect(jsonNestingExceeds(bytes('['.repeat(100_000) + ']'.repeat(100_000)), 64)).toBe(true);
    expect(jsonNestingExceeds(bytes('['.repeat(64) + ']'.repeat(64)), 64)).toBe(false);
  });
});
