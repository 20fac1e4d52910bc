import { GatewayError } from '@app/core';
import { parsePassthroughUrl, upstreamPath } from './passthrough-url';

describe('passthrough URLs', () => {
  it('splits provider, rest and query', () => {
    expect(parsePassthroughUrl('/p/OpenAI-East/v1/files?limit=2')).toEqual({ provider: 'openai-east', rest: '/v1/files', query: '?limit=2' });
    expect(parsePassthroughUrl('/p/openai')).toEqual({ provider: 'openai', rest: '', query: '' });
  });

  it('drops a leading v1 only when the base URL already ends in /v1', () => {
    const url = parsePassthroughUrl('/p/openai/v1/models?x=1');
    expect(upstreamPath(url, 'https://api.openai.com/v1')).toBe('/models?x=1');
    expect(upstreamPath(parsePassthroughUrl('/p/openai/models'), 'https://api.openai.com/v1')).toBe('/models');
    expect(upstreamPath(url, 'https://api.anthropic.com')).toBe('/v1/models?x=1');
    expect(upstreamPath(parsePassthroughUrl('/p/openai/v1beta/models'), 'https://x.example/v1')).toBe('/v1beta/models');
    expect(upstreamPath(parsePassthroughUrl('/p/openai'), 'https://api.openai.com/v1')).toBe('/');
  });

  it.each(['/p/openai/v1/../admin', '/p/openai/%2E%2e/x', '/p/openai/./x'])('refuses dot segments in %s', (url) => {
    expect(() => parsePassthroughUrl(url)).toThrow(GatewayError);
  });

  it('refuses a missing provider and broken percent-encoding', () => {
    expect(() => parsePassthroughUrl('/p/')).toThrow(/name a provider/);
    expect(() => parsePassthroughUrl('/p/%E0%A4%A/x')).toThrow(/percent-encoding/);
  });
});
