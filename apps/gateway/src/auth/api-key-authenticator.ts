import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';

/** Who is calling: the key id is recorded with usage ("master", or null when the gateway runs open). */
export interface Caller {
  readonly keyId: string | null;
}

const OPEN_CALLER: Caller = { keyId: null };
const MASTER_CALLER: Caller = { keyId: 'master' };

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Checks the gateway key of a request. Keys are compared as SHA-256 digests with timingSafeEqual,
 * so neither the content nor the length of the master key leaks through response timing.
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

  /** Returns the caller, or throws a 401 GatewayError. */
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
