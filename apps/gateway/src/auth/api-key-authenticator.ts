import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { ALL_SCOPES, ANONYMOUS, type Caller, INFERENCE_ONLY, type RouteAccess } from './caller';

export type { Caller } from './caller';

const USER_PATH_HEADER = 'x-switchyard-user-path';
const MAX_USER_PATH_LENGTH = 255;

const OPEN_CALLER: Caller = { keyId: null, userPath: null, scopes: INFERENCE_ONLY };
const OPEN_LOOPBACK_CALLER: Caller = { keyId: null, userPath: null, scopes: ALL_SCOPES };
const MASTER_CALLER: Caller = { keyId: 'master', userPath: null, scopes: ALL_SCOPES };

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The one authenticator of every route, hot or Nest: checks the gateway key of a request and the
 * scope its route needs. Keys are compared as SHA-256 digests with timingSafeEqual, so neither
 * the content nor the length of the master key leaks through response timing.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly masterKeyDigest?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.masterKeyDigest = config.masterKey ? digest(config.masterKey) : undefined;
  }

  get isOpen(): boolean {
    return this.masterKeyDigest === undefined;
  }

  /**
   * The caller of a request to a route with this access, or a 401/403 GatewayError. An open
   * gateway (no master key) serves inference to anyone but admin routes to loopback clients only.
   */
  authorize(request: IncomingMessage, access: RouteAccess): Caller {
    if (access === 'public') return ANONYMOUS;
    const caller = this.isOpen ? this.openCaller(request) : this.authenticate(request.headers);
    if (!caller.scopes.has(access)) {
      const message = this.isOpen ? 'Admin routes of a gateway without SWITCHYARD_MASTER_KEY answer loopback clients only.' : `This key lacks the '${access}' scope.`;
      throw new GatewayError('permission', message, { code: this.isOpen ? 'admin_loopback_only' : 'insufficient_scope' });
    }
    return withUserPath(caller, request.headers);
  }

  /** The caller a key names, or a 401 GatewayError. An open gateway lets everyone in for inference. */
  authenticate(headers: IncomingHttpHeaders): Caller {
    if (!this.masterKeyDigest) return OPEN_CALLER;
    const key = presentedKey(headers);
    if (!key) {
      throw new GatewayError('authentication', 'Missing API key. Send it as "Authorization: Bearer <key>" or "x-api-key: <key>".', { code: 'missing_api_key' });
    }
    if (!timingSafeEqual(digest(key), this.masterKeyDigest)) {
      throw new GatewayError('authentication', 'Invalid API key.', { code: 'invalid_api_key' });
    }
    return MASTER_CALLER;
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

/** The shared caller, or a copy naming the end user the request says it is for. */
function withUserPath(caller: Caller, headers: IncomingHttpHeaders): Caller {
  const value = headers[USER_PATH_HEADER];
  const path = Array.isArray(value) ? value[0] : value;
  return path ? { ...caller, userPath: path.slice(0, MAX_USER_PATH_LENGTH) } : caller;
}

/** `Authorization: Bearer <key>`, or `x-api-key: <key>` as Anthropic's clients send the same key. */
function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization && authorization.length > 7 && authorization.slice(0, 7).toLowerCase() === 'bearer ') {
    return authorization.slice(7).trim() || undefined;
  }
  const apiKey = headers['x-api-key'];
  const value = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return value?.trim() || undefined;
}
