import { openAIDuration, rateLimitHeaders, rfc3339After } from './rate-limit-headers';

describe('rate-limit headers in the dialects clients parse', () => {
  it('writes OpenAI reset durations in Go duration format', () => {
    expect(openAIDuration(20)).toBe('20ms');
    expect(openAIDuration(999.2)).toBe('1s');
    expect(openAIDuration(1000)).toBe('1s');
    expect(openAIDuration(1500)).toBe('1.5s');
    expect(openAIDuration(360_000)).toBe('6m0s');
    expect(openAIDuration(3_723_000)).toBe('1h2m3s');
    expect(openAIDuration(0)).toBe('0ms');
  });

  it('writes Anthropic resets as RFC 3339 instants in UTC', () => {
    expect(rfc3339After(1_500, Date.parse('2026-12-01T21:00:00.000Z'))).toBe('2026-12-01T21:00:02Z');
  });

  it("reports the tightest window among the checks, under each dialect's names", () => {
    const states = [
      { requests: { limit: 100, remaining: 40, resetMs: 30_000 }, tokens: { limit: 9000, remaining: 10, resetMs: 20 } },
      { requests: { limit: 10, remaining: 3, resetMs: 6_000 } },
    ];
    expect(rateLimitHeaders('openai', states, 0)).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '3',
      'x-ratelimit-reset-requests': '6s',
      'x-ratelimit-limit-tokens': '9000',
      'x-ratelimit-remaining-tokens': '10',
      'x-ratelimit-reset-tokens': '20ms',
    });
    expect(rateLimitHeaders('anthropic', states, 0)).toMatchObject({
      'anthropic-ratelimit-requests-limit': '10',
      'anthropic-ratelimit-requests-remaining': '3',
      'anthropic-ratelimit-requests-reset': '1970-01-01T00:00:06Z',
      'anthropic-ratelimit-tokens-remaining': '10',
    });
  });
});
