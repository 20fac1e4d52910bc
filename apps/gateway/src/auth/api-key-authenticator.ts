import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { KeyCache } from '@app/governance';
import { ALL_SCOPES, ANONYMOUS, type Caller, INFERENCE_ONLY, type RouteAccess } from './caller';
import { managedCaller, withUserPath } from './managed-caller';

export type { Caller } from './caller';

const OPEN_CALLER: Caller = { keyId: null, userPath: null, scopes: INFERENCE_ONLY };
const OPEN_LOOPBACK_CALLER: Caller = { keyId: null, userPath: null, scopes: ALL_SCOPES };
const MASTER_CALLER: Caller = { keyId: 'master', userPath: null, scopes: ALL_SCOPES };

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The one authenticator of every route, hot or Nest: checks the gateway key of a request and the
 * scope its route needs. The master key is compared as a SHA-256 digest with timingSafeEqual, so
 * neither its content nor its length leaks through response timing; managed keys are looked up
 * by their HMAC digest in this replica's KeyCache. Both paths are synchronous: no request waits
 * on storage to be authenticated.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly masterKeyDigest?: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly keys: KeyCache,
  ) {
    this.masterKeyDigest = config.masterKey ? digest(config.masterKey) : undefined;
  }

  get isOpen(): boolean {
    return this.masterKeyDigest === undefined;
  }

  /**
   * The caller of a request to a route with this access, or a 400/401/403 GatewayError. An open
   * gateway (no master key) serves inference to anyone but admin routes to loopback clients only.
   */
  authorize(request: IncomingMessage, access: RouteAccess): Caller {
    if (access === 'public') return ANONYMOUS;
    const caller = this.isOpen ? this.openCaller(request) : this.authenticate(request.headers);
    if (!caller.scopes.has(access)) {
      const message = this.isOpen ? 'Admin routes of a gateway without SWITCHYARD_MASTER_KEY answer loopback clients only.' : `This key lacks the '${access}' scope.`;
      throw new GatewayError('permission', message, { code: this.isOpen ? 'admin_loopback_only' : 'insufficient_scope' });
    }
    return withUserPath(caller, request.headers, caller === MASTER_CALLER || this.isOpen);
  }

  /** The caller a key names, or a 401 GatewayError. An open gateway lets everyone in for inference. */
  authenticate(headers: IncomingHttpHeaders): Caller {
    if (!this.masterKeyDigest) return OPEN_CALLER;
    const key = presentedKey(headers);
    if (!key) {
      throw new GatewayError('authentication', 'Missing API key. Send it as "Authorization: Bearer <key>", "x-api-key: <key>" or "api-key: <key>".', { code: 'missing_api_key' });
    }
    if (timingSafeEqual(digest(key), this.masterKeyDigest)) return MASTER_CALLER;
    const lookup = this.keys.find(key);
    if (lookup.status === 'valid') return managedCaller(lookup.key);
    if (lookup.status === 'expired') throw new GatewayError('authentication', 'This API key has expired.', { code: 'expired_api_key' });
    throw new GatewayError('authentication', 'Invalid API key.', { code: 'invalid_api_key' });
  }

  private openCaller(request: IncomingMessage): Caller {
    return isLoopback(request.socket?.remoteAddress) ? OPEN_LOOPBACK_CALLER : OPEN_CALLER;
  }
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

/**
 * `Authorization: Bearer <key>` (OpenAI clients), else `x-api-key` (Anthropic clients), else
 * `api-key` (Azure OpenAI clients), each carrying the same gateway key.
 */
function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization && authorization.length > 7 && authorization.slice(0, 7).toLowerCase() === 'bearer ') {
    return authorization.slice(7).trim() || undefined;
  }
  return header(headers, 'x-api-key') ?? header(headers, 'api-key');
}
