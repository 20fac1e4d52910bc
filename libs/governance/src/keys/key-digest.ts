import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every managed key starts with this, so it is recognisable in configs and secret scanners. */
export const MANAGED_KEY_PREFIX = 'sk-sy-';
const KEY_RANDOM_BYTES = 32;
/**
 * The HMAC key when SWITCHYARD_KEY_HASH_SECRET is not set. A managed key carries 256 random bits,
 * so its digest cannot be inverted or guessed whether or not the HMAC key is secret: the secret
 * only adds defence in depth (a stolen database alone then cannot even test a candidate key).
 * It is deliberately not derived from the master key: rotating the master key would otherwise
 * silently revoke every managed key.
 */
const DEFAULT_HASH_SECRET = 'switchyard-managed-key-digest-v1';

/** A new secret: the prefix and 32 random bytes, base64url (43 characters). */
export function generateKeyValue(): string {
  return `${MANAGED_KEY_PREFIX}${randomBytes(KEY_RANDOM_BYTES).toString('base64url')}`;
}

/** The display form stored beside the digest: `sk-sy-…a1b2` (prefix and last four characters). */
export function redactKeyValue(value: string): string {
  return `${MANAGED_KEY_PREFIX}…${value.slice(-4)}`;
}

/** Computes the keyed digest (hex HMAC-SHA-256) under which a key is stored and looked up. */
export class KeyDigester {
  private readonly secret: string;

  constructor(secret: string | undefined) {
    this.secret = secret || DEFAULT_HASH_SECRET;
  }

  digest(value: string): string {
    return createHmac('sha256', this.secret).update(value).digest('hex');
  }

  /** Constant-time comparison of two hex digests (unequal lengths are simply unequal). */
  static equal(a: string, b: string): boolean {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
