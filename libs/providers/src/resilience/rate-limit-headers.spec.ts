import { rateLimitHeadersFor, relayableRateLimitHeaders } from './rate-limit-headers';

describe('rate-limit headers relayed on an upstream error', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('keeps only the rate-limit headers of the answer', () => {
    expect(relayableRateLimitHeaders({ 'x-ratelimit-limit-requests': '5', 'set-cookie': 'a', 'openai-organization': 'org', 'anthropic-ratelimit-tokens-limit': '9' })).toEqual({
      'x-ratelimit-limit-requests': '5',
      'anthropic-ratelimit-tokens-limit': '9',
    });
  });

  it('renames them across dialects and converts reset times (RFC 3339 ↔ duration)', () => {
    expect(
      rateLimitHeadersFor(
        'openai',
        { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-tokens-reset': '2026-01-01T00:00:30Z', 'anthropic-ratelimit-input-tokens-limit': '1' },
        now,
      ),
    ).toEqual({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-tokens': '30s' });
    expect(rateLimitHeadersFor('anthropic', { 'x-ratelimit-limit-tokens': '90', 'x-ratelimit-reset-requests': '1m30s' }, now)).toEqual({
      'anthropic-ratelimit-tokens-limit': '90',
      'anthropic-ratelimit-requests-reset': '2026-01-01T00:01:30Z',
    });
  });
});
