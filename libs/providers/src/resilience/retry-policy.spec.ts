import { buildConfig } from '@app/config';
import { isRetryable, parseRetryAfter, retryDelayMs } from './retry-policy';
import { UpstreamFailure } from './upstream-failure';

const upstream = buildConfig({ UPSTREAM_RETRY_BASE_DELAY: '100ms', UPSTREAM_RETRY_MAX_DELAY: '1s' }).upstream;
const status = (code: number, retryAfterMs?: number) => new UpstreamFailure('status', 'p', 'x', { upstreamStatus: code, status: code, retryAfterMs });

describe('retry policy', () => {
  it.each([429, 502, 503, 504, 529])('retries upstream status %i', (code) => expect(isRetryable(status(code))).toBe(true));
  it.each([400, 401, 404, 500, 422])('does not retry upstream status %i', (code) => expect(isRetryable(status(code))).toBe(false));

  it('retries connection failures but not timeouts or cancellations', () => {
    expect(isRetryable(new UpstreamFailure('connect', 'p', 'x'))).toBe(true);
    expect(isRetryable(new UpstreamFailure('reset', 'p', 'x'))).toBe(true);
    expect(isRetryable(new UpstreamFailure('timeout', 'p', 'x'))).toBe(false);
    expect(isRetryable(new UpstreamFailure('aborted', 'p', 'x'))).toBe(false);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(retryDelayMs(upstream, 1, status(503), () => 0)).toBe(50);
    expect(retryDelayMs(upstream, 1, status(503), () => 1)).toBe(100);
    expect(retryDelayMs(upstream, 3, status(503), () => 1)).toBe(400);
    expect(retryDelayMs(upstream, 10, status(503), () => 1)).toBe(1000);
  });

  it('honours Retry-After, and gives up when it is longer than the maximum delay', () => {
    expect(retryDelayMs(upstream, 1, status(429, 700))).toBe(700);
    expect(retryDelayMs(upstream, 1, status(429, 5000))).toBeUndefined();
  });

  it('parses Retry-After seconds, HTTP dates and retry-after-ms', () => {
    expect(parseRetryAfter({ 'retry-after': '2' })).toBe(2000);
    expect(parseRetryAfter({ 'retry-after-ms': '150' })).toBe(150);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfter({})).toBeUndefined();
  });
});
