import { redactSecrets, registerSecrets, SecretRedactor } from './secret-redactor';

describe('SecretRedactor', () => {
  const redactor = new SecretRedactor(['configured-key-0001', 'configured-key-0001-longer', 'EMPTY', undefined]);

  it('replaces every occurrence of a configured secret, the longest match whole', () => {
    expect(redactor.redact('a configured-key-0001 b configured-key-0001-longer')).toBe('a [redacted] b [redacted]');
  });

  it('redacts credential shapes that are not configured', () => {
    const text = 'Bearer abcdefgh12345678 sk-proj-abcdefghijklmnop sk-ant-api03-abcdefghijkl AIzaSyA1234567890abcdefghijklmnopqrstu AKIAABCDEFGHIJKLMNOP';
    expect(redactor.redact(text)).toBe('Bearer [redacted] [redacted] [redacted] [redacted] [redacted]');
  });

  it('leaves ordinary text alone, short placeholder keys included', () => {
    const text = 'The model task-sk-long-name said EMPTY is not a valid value for max_tokens.';
    expect(redactor.redact(text)).toBe(text);
  });

  it('escapes secrets that contain regular-expression characters', () => {
    expect(new SecretRedactor(['a.b+c(d)e*f?']).redact('x a.b+c(d)e*f? y aXb+c(d)e*f?')).toBe('x [redacted] y aXb+c(d)e*f?');
  });
});

describe('redactSecrets', () => {
  it('uses the secrets registered at boot, which accumulate', () => {
    registerSecrets(['registered-first-0001']);
    registerSecrets(['registered-second-0002']);
    expect(redactSecrets('registered-first-0001 / registered-second-0002')).toBe('[redacted] / [redacted]');
  });

  it('uses the given secrets when passed', () => {
    expect(redactSecrets('given-secret-0003', ['given-secret-0003'])).toBe('[redacted]');
  });
});
