import { registerSecrets } from '@app/core';
import { geminiStatusFailure, parseGeminiError } from './gemini-errors';

describe('Gemini error parsing', () => {
  it('reads the envelope, also wrapped in an array, and the RetryInfo delay', () => {
    const body = [{ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] } }];
    expect(parseGeminiError(JSON.stringify(body))).toEqual({ message: 'quota', status: 'RESOURCE_EXHAUSTED', httpStatus: 429, retryDelayMs: 1500 });
    expect(parseGeminiError('<html>')).toEqual({});
  });

  it('keeps 4xx, turns 5xx into 502 and prefers the Retry-After header', () => {
    const failure = geminiStatusFailure('gemini', 429, { 'retry-after': '2' }, JSON.stringify({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } }));
    expect(failure).toMatchObject({ status: 429, upstreamStatus: 429, retryAfterMs: 2000, code: 'RESOURCE_EXHAUSTED', message: 'quota' });
    expect(geminiStatusFailure('gemini', 503, {}, '')).toMatchObject({ status: 502, upstreamStatus: 503 });
  });

  it('redacts the configured key and Google key shapes an upstream echoes in its message', () => {
    registerSecrets(['gemini-configured-credential-01']);
    const message = 'API key gemini-configured-credential-01 / AIzaSyA1234567890abcdefghijklmnopqrstu not valid';
    const failure = geminiStatusFailure('gemini', 400, {}, JSON.stringify({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } }));
    expect(failure.message).toBe('API key [redacted] / [redacted] not valid');
  });
});
