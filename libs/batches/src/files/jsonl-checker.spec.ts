import { JsonlChecker } from './jsonl-checker';

const LIMITS = { maxLines: 3, maxBytes: 1_000, maxLineBytes: 100 };

function check(pieces: readonly string[], limits = LIMITS): string | undefined {
  const checker = new JsonlChecker(limits);
  for (const piece of pieces) checker.push(Buffer.from(piece));
  return checker.finish();
}

describe('JsonlChecker', () => {
  it('accepts JSON objects one per line, split anywhere across chunks, with CRLF, blank lines and no final newline', () => {
    expect(check(['{"custom_id":"a","bo', 'dy":{}}\r\n\n{"b":1}\n{"c":', '"é"}'])).toBeUndefined();
    // Split inside a multi-byte character.
    const bytes = Buffer.from('{"x":"é"}\n');
    const checker = new JsonlChecker(LIMITS);
    checker.push(bytes.subarray(0, 7));
    checker.push(bytes.subarray(7));
    expect(checker.finish()).toBeUndefined();
  });

  it('names the first line that is not a JSON object', () => {
    expect(check(['{"a":1}\n[1,2]\n{"c":'])).toBe('line 2 is not a JSON object');
    expect(check(['{"a":1}\n{"b":'])).toBe('line 2 is not a JSON object');
    expect(check(['\u0000\u0001binary'])).toBe('line 1 is not a JSON object');
  });

  it('refuses more lines, more bytes or longer lines than the limits', () => {
    expect(check(['{}\n{}\n{}\n{}\n'])).toBe('a batch input file may have at most 3 lines');
    expect(check(['{}\n'.repeat(2), ' '.repeat(1_000)], { ...LIMITS, maxLines: 10, maxLineBytes: 2_000 })).toBe('a batch input file may be at most 1000 bytes');
    expect(check([`{"a":"${'x'.repeat(200)}"}`])).toBe('line 1 is longer than 100 bytes');
  });

  it('refuses an empty file', () => {
    expect(check([])).toBe('the file has no lines');
    expect(check(['\n\n'])).toBe('the file has no lines');
  });
});
