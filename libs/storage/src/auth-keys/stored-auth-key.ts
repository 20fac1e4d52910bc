/** What a key may do: call models, or manage the gateway. */
export type AuthKeyScope = 'inference' | 'admin';

/**
 * A key's rate limits as stored; the same shape as governance's KeyLimits, spelled out here so
 * storage does not depend on the lib that depends on it.
 */
export interface StoredKeyLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  readonly maxParallel?: number;
}

/** A managed key as stored (its secret never is: only `keyDigest`). */
export interface StoredAuthKey {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly userPath: string | null;
  /** Model selectors the key may call; null = every model. */
  readonly models: readonly string[] | null;
  readonly scopes: readonly AuthKeyScope[];
  readonly limits: StoredKeyLimits | null;
  readonly keyDigest: string;
  readonly redactedValue: string;
  readonly active: boolean;
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastUsedAt: Date | null;
}

/** The fields PATCH may change (undefined = unchanged, null = cleared). */
export interface AuthKeyPatch {
  readonly name?: string;
  readonly description?: string | null;
  readonly models?: readonly string[] | null;
  readonly limits?: StoredKeyLimits | null;
  readonly expiresAt?: Date | null;
  readonly active?: boolean;
}
