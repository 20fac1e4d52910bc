import { ConfigError } from './config-error';
import { buildConfig } from './load-config';

describe('server timeouts (SERVER_*_TIMEOUT)', () => {
  it('defaults to 30 s for headers, 60 s for the whole request and 65 s for idle keep-alive', () => {
    expect(buildConfig({}).server).toEqual({ headersTimeoutMs: 30_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 65_000 });
  });

  it('reads durations with units', () => {
    const { server } = buildConfig({ SERVER_HEADERS_TIMEOUT: '500ms', SERVER_REQUEST_TIMEOUT: '2m', SERVER_KEEPALIVE_TIMEOUT: '75s' });
    expect(server).toEqual({ headersTimeoutMs: 500, requestTimeoutMs: 120_000, keepAliveTimeoutMs: 75_000 });
  });

  it.each([
    [{ SERVER_HEADERS_TIMEOUT: '0' }, /SERVER_HEADERS_TIMEOUT must be greater than zero/],
    [{ SERVER_KEEPALIVE_TIMEOUT: 'later' }, /SERVER_KEEPALIVE_TIMEOUT must be a duration/],
    [{ SERVER_HEADERS_TIMEOUT: '90s', SERVER_REQUEST_TIMEOUT: '60s' }, /SERVER_HEADERS_TIMEOUT must not exceed SERVER_REQUEST_TIMEOUT/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => buildConfig(env)).toThrow(ConfigError);
    expect(() => buildConfig(env)).toThrow(message);
  });
});
