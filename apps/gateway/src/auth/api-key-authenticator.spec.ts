import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import type { KeyCache, KeyLookup } from '@app/governance';
import type { StoredAuthKey } from '@app/storage';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { RouteAccess } from './caller';

const MASTER = 'sy-master-key';
const MANAGED = 'sk-sy-managed-test-key';
const EXPIRED = 'sk-sy-expired-test-key';

function storedKey(overrides: Partial<StoredAuthKey>): StoredAuthKey {
  const now = new Date();
  return {
    id: 'key_1',
    name: 'search',
    description: null,
    userPath: '/acme/search',
    models: ['openai/*'],
    scopes: ['inference'],
    limits: { requestsPerMinute: 10 },
    keyDigest: 'd',
    redactedValue: 'sk-sy-…-key',
    active: true,
    expiresAt: null,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
    ...overrides,
  };
}

/** A key cache holding MANAGED (valid) and EXPIRED, as the KeyIndex answers for them. */
const keys = {
  managed: storedKey({}),
  find(value: string): KeyLookup {
    if (value === MANAGED) return { status: 'valid', key: this.managed };
    return { status: value === EXPIRED ? 'expired' : 'unknown' };
  },
};

function authenticatorWith(masterKey?: string, cache: Pick<KeyCache, 'find'> = keys): ApiKeyAuthenticator {
  return new ApiKeyAuthenticator({ masterKey } as AppConfig, cache as KeyCache);
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
    const caller = keyed.authorize(request({ authorization: `Bearer ${MASTER}`, 'x-switchyard-user-path': '/team/alice' }), 'admin');
    expect([caller.keyId, caller.userPath, [...caller.scopes].sort()]).toEqual(['master', '/team/alice', ['admin', 'inference']]);
    // Paths are rooted now; one written without the leading slash (as before they were checked) gets it.
    expect(keyed.authorize(request({ authorization: `Bearer ${MASTER}`, 'x-switchyard-user-path': 'team/alice' }), 'inference').userPath).toBe('/team/alice');
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

describe('ApiKeyAuthenticator with managed keys', () => {
  const authenticator = authenticatorWith(MASTER);
  const inference = (headers: IncomingHttpHeaders) => authenticator.authorize(request(headers), 'inference');

  it('accepts a managed key as Bearer, x-api-key or api-key, as the key it names', () => {
    for (const headers of [{ authorization: `Bearer ${MANAGED}` }, { 'x-api-key': MANAGED }, { 'api-key': MANAGED }]) {
      const caller = inference(headers);
      expect(caller).toMatchObject({ keyId: 'key_1', keyName: 'search', userPath: '/acme/search', allowedModels: ['openai/*'], limits: { requestsPerMinute: 10 } });
      expect([...caller.scopes]).toEqual(['inference']);
    }
    // The same Caller object each time: nothing allocated per request.
    expect(inference({ authorization: `Bearer ${MANAGED}` })).toBe(inference({ 'x-api-key': MANAGED }));
  });

  it('refuses an expired key with 401 expired_api_key and an unknown one with 401 invalid_api_key', () => {
    expect([rejection(authenticator, { authorization: `Bearer ${EXPIRED}` }).status, rejection(authenticator, { authorization: `Bearer ${EXPIRED}` }).code]).toEqual([
      401,
      'expired_api_key',
    ]);
    expect(rejection(authenticator, { 'api-key': 'sk-sy-nope' }).code).toBe('invalid_api_key');
  });

  it('refuses admin routes to an inference-only key with 403 insufficient_scope', () => {
    const error = refusal(authenticator, request({ authorization: `Bearer ${MANAGED}` }), 'admin');
    expect([error.status, error.code]).toEqual([403, 'insufficient_scope']);
  });

  it('lets a managed key narrow its own user path, and refuses any other path with 403', () => {
    const withPath = (path: string) => request({ authorization: `Bearer ${MANAGED}`, 'x-switchyard-user-path': path });
    expect(authenticator.authorize(withPath('/acme/search/bot'), 'inference').userPath).toBe('/acme/search/bot');
    expect(authenticator.authorize(withPath('/acme/search'), 'inference').userPath).toBe('/acme/search');
    for (const path of ['/other', '/acme', '/acme/searchbot']) {
      const error = refusal(authenticator, withPath(path), 'inference');
      expect([error.status, error.code]).toEqual([403, 'user_path_not_allowed']);
    }
  });

  it('refuses a malformed user path with 400 naming the header, whoever sends it', () => {
    for (const key of [MASTER, MANAGED]) {
      const error = refusal(authenticator, request({ authorization: `Bearer ${key}`, 'x-switchyard-user-path': '/acme/../admin' }), 'inference');
      expect([error.status, error.param]).toEqual([400, 'x-switchyard-user-path']);
    }
  });

  it('refuses any user path to a managed key that has none of its own', () => {
    const pathless = authenticatorWith(MASTER, { find: () => ({ status: 'valid', key: storedKey({ userPath: null }) }) });
    const error = refusal(pathless, request({ authorization: `Bearer ${MANAGED}`, 'x-switchyard-user-path': '/acme' }), 'inference');
    expect(error.code).toBe('user_path_not_allowed');
  });
});
