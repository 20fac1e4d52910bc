import type { IncomingHttpHeaders } from 'node:http';
import type { AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { ApiKeyAuthenticator } from './api-key-authenticator';

const MASTER = 'sy-master-key';

function authenticatorWith(masterKey?: string): ApiKeyAuthenticator {
  return new ApiKeyAuthenticator({ masterKey } as AppConfig);
}

function rejection(authenticator: ApiKeyAuthenticator, headers: IncomingHttpHeaders): GatewayError {
  try {
    authenticator.authenticate(headers);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected the request to be refused');
}

describe('ApiKeyAuthenticator', () => {
  const authenticator = authenticatorWith(MASTER);

  it('accepts the master key as a Bearer token (OpenAI clients, Anthropic SDK 1.x)', () => {
    expect(authenticator.authenticate({ authorization: `Bearer ${MASTER}` })).toEqual({ keyId: 'master' });
    expect(authenticator.authenticate({ authorization: `bearer ${MASTER}` })).toEqual({ keyId: 'master' });
  });

  it('accepts the master key in x-api-key (Anthropic clients)', () => {
    expect(authenticator.authenticate({ 'x-api-key': MASTER })).toEqual({ keyId: 'master' });
  });

  it('refuses a wrong key in either header with 401 invalid_api_key', () => {
    for (const headers of [{ authorization: 'Bearer nope' }, { 'x-api-key': 'nope' }, { 'x-api-key': `${MASTER}x` }]) {
      const error = rejection(authenticator, headers);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error.status).toBe(401);
      expect(error.code).toBe('invalid_api_key');
    }
  });

  it('checks the Bearer token first: a valid x-api-key does not rescue a wrong Bearer token', () => {
    expect(rejection(authenticator, { authorization: 'Bearer nope', 'x-api-key': MASTER }).code).toBe('invalid_api_key');
  });

  it('refuses a request without a key, naming both headers', () => {
    const error = rejection(authenticator, { 'x-api-key': '  ' });
    expect(error.code).toBe('missing_api_key');
    expect(error.message).toContain('x-api-key');
    expect(rejection(authenticator, {}).code).toBe('missing_api_key');
  });

  it('lets every request through when no master key is configured', () => {
    expect(authenticatorWith(undefined).authenticate({})).toEqual({ keyId: null });
  });
});
