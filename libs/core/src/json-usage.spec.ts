import { usageOfJsonBody } from './json-usage';

const usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7, prompt_tokens_details: { cached_tokens: 1 } };
const read = (value: unknown) => usageOfJsonBody(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('usageOfJsonBody', () => {
  it("reads a trailing top-level usage, also before OpenAI's trailing scalar fields", () => {
    expect(read({ id: 'x', data: [{ embedding: [0.1, -2e-3] }], usage })).toEqual(usage);
    expect(read({ id: 'x', choices: [], usage, service_tier: 'default', system_fingerprint: 'fp_1', n: null })).toEqual(usage);
  });

  it('does not take a nested usage for the top-level one', () => {
    expect(read({ usage: { prompt_tokens: 1 }, meta: { usage: { prompt_tokens: 99 } } })).toEqual({ prompt_tokens: 1 });
    expect(read({ items: [{ usage: { prompt_tokens: 99 } }] })).toBeUndefined();
    expect(read({ usage, tail: { a: 1 } })).toEqual(usage);
  });

  it('is not fooled by "usage" inside strings', () => {
    expect(read({ usage, content: 'the "usage":{"prompt_tokens":3} text}' })).toEqual(usage);
    expect(read({ content: 'say "usage":{} }' })).toBeUndefined();
  });

  it('falls back to a full parse, which rejects malformed JSON', () => {
    expect(read({ usage, choices: [{ a: 1 }] })).toEqual(usage);
    expect(() => read('{"usage":{"prompt_tokens":1}')).toThrow();
  });
});
