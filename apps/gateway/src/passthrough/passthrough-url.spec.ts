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

  it.each([
    '/p/openai-east/..\\admin/keys',
    '/p/openai/v1\\..\\admin',
    '/p/openai/v1%2f..%2fadmin',
    '/p/openai/v1%2F%2E%2E%2Fadmin',
    '/p/openai/v1%5c..%5cadmin',
    '/p/openai/v1/%252e%252e/admin',
    '/p/openai/v1/%c0%ae%c0%ae/admin',
    '/p/openai/v1/%e0%80%ae%e0%80%ae/admin',
    '/p/openai/v1/%ef%bc%8e%ef%bc%8e/admin',
    '/p/openai/v1/\uff0e\uff0e/admin',
    '/p/openai/v1/..;/admin',
  ])('refuses the disguised dot segment in %s', (url) => {
    expect(() => parsePassthroughUrl(url)).toThrow(/"\." or "\.\." segments/);
  });

  it('keeps ordinary paths with dots, encoded slashes and literal percent signs', () => {
    for (const rest of [
      '/v1/models/gpt-4.1',
      '/v1/files/report..final.txt',
      '/model/arn%3Aaws%3Abedrock%2Finference-profile%2Fus.x/invoke',
      '/v1/files/100%25',
      '/v1/.well-known',
    ]) {
      expect(parsePassthroughUrl(`/p/openai${rest}`).rest).toBe(rest);
    }
  });

  it('drops credential-shaped query parameters and keeps the rest as sent', () => {
    const url = parsePassthroughUrl(
      '/p/gemini/v1beta/models?key=k1&pageSize=5&api_key=k2&API-KEY=k3&apiKey=k4&access_token=t&%6Bey=k5&X-Amz-Signature=s&sig=s2&pageToken=p2&page_token=p3&alt=sse',
    );
    expect(url.query).toBe('?pageSize=5&pageToken=p2&page_token=p3&alt=sse');
    expect(parsePassthroughUrl('/p/openai/v1/models?key=only').query).toBe('');
    expect(parsePassthroughUrl('/p/openai/v1/models?limit=2&order=desc').query).toBe('?limit=2&order=desc');
    expect(() => parsePassthroughUrl('/p/openai/v1/models?%E0%A4=1')).toThrow(/query parameter name/);
  });

  it('refuses a missing provider and broken percent-encoding', () => {
    expect(() => parsePassthroughUrl('/p/')).toThrow(/name a provider/);
    expect(() => parsePassthroughUrl('/p/%E0%A4%A/x')).toThrow(/percent-encoding/);
  });
});
