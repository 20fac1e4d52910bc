import { redactRedisUrl } from './redis-client.factory';

describe('redactRedisUrl', () => {
  it('masks the password and user name', () => {
    const safe = redactRedisUrl('redis://admin:s3cret@cache.internal:6380/2');
    expect(safe).not.toContain('s3cret');
    expect(safe).not.toContain('admin');
    expect(safe).toContain('cache.internal:6380/2');
  });

  it('keeps a URL without credentials as it is', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('never echoes an unparseable URL, which may still hold a secret', () => {
    expect(redactRedisUrl('redis://:pa ss@')).not.toContain('pa ss');
  });
});
