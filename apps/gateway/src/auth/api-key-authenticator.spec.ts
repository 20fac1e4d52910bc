import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { RouteAccess } from './caller';

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
    expect(authenticator.authenticate({ authorization: `Bearer ${MASTER}` }).keyId).toBe('master');
    expect(authenticator.authenticate({ authorization: `bearer ${MASTER}` }).keyId).toBe('master');
  });

  it('accepts the master key in x-api-key (Anthropic clients)', () => {
    expect(authenticator.authenticate({ 'x-api-key': MASTER }).keyId).toBe('master');
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
    expect(authenticatorWith(undefined).authenticate({}).keyId).toBeNull();
  });
});

function request(headers: IncomingHttpHeaders, remoteAddress = '127.0.0.1'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

function refusal(authenticator: ApiKeyAuthenticator, req: IncomingMessage, access: RouteAccess): GatewayError {
  try {
    authenticator.authorize(req, access);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected the request to be refused');
}

describe('ApiKeyAuthenticator.authorize (route access and scopes)', () => {
  const keyed = authenticatorWith(MASTER);
  const open = authenticatorWith(undefined);

  it('gives the master key every scope, and names the user path the request carries', () => {
    const caller = keyed.authorize(request({ authorization: `Bearer ${MASTER}`, 'x-switchyard-user-path': 'team/alice' }), 'admin');
    expect([caller.keyId, caller.userPath, [...caller.scopes].sort()]).toEqual(['master', 'team/alice', ['admin', 'inference']]);
  });

  it('lets public routes through without a key, and refuses keyless requests to every other route', () => {
    expect(keyed.authorize(request({}), 'public').keyId).toBeNull();
    expect(refusal(keyed, request({}), 'inference').status).toBe(401);
    expect(refusal(keyed, request({}), 'admin').status).toBe(401);
  });

  it('open gateway: inference for anyone, admin for loopback clients only', () => {
    expect(open.authorize(request({}, '203.0.113.9'), 'inference').keyId).toBeNull();
    for (const loopback of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(open.authorize(request({}, loopback), 'admin').scopes.has('admin')).toBe(true);
    for (const remote of ['203.0.113.9', '::ffff:10.1.2.3', '2001:db8::1', '']) {
      const error = refusal(open, request({}, remote), 'admin');
      expect([error.status, error.code]).toEqual([403, 'admin_loopback_only']);
    }
  });
});
