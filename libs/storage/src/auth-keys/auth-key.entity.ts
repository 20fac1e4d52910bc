import { EntitySchema } from 'typeorm';
import { type DatabaseKind, instantColumn } from '../database/instant-column';

/** Length of managed key ids (`key_` + 12 hex of milliseconds + 16 random hex). */
export const AUTH_KEY_ID_LENGTH = 64;

/**
 * One row of `auth_keys`: a managed API key. The secret itself is never stored, only its keyed
 * digest (see libs/governance keys/key-digest.ts) and a redacted form for display.
 */
export class AuthKeyEntity {
  id: string;
  name: string;
  description: string | null;
  userPath: string | null;
  /** JSON array of model selectors; null = every model. */
  models: string | null;
  /** JSON array of scopes. */
  scopes: string;
  /** JSON object of KeyLimits; null = none. */
  limits: string | null;
  /** Hex HMAC-SHA-256 of the secret: the lookup key, unique. */
  keyDigest: string;
  redactedValue: string;
  active: boolean;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

/** The `auth_keys` mapping for one database (see instantColumn). */
export function authKeySchema(kind: DatabaseKind): EntitySchema<AuthKeyEntity> {
  const nullableInstant = (name: string) => ({ ...instantColumn(kind, name), nullable: true });
  return new EntitySchema<AuthKeyEntity>({
    name: AuthKeyEntity.name,
    target: AuthKeyEntity,
    tableName: 'auth_keys',
    columns: {
      id: { name: 'id', type: 'varchar', length: AUTH_KEY_ID_LENGTH, primary: true, primaryKeyConstraintName: 'pk_auth_keys' },
      name: { name: 'name', type: 'varchar', length: 255 },
      description: { name: 'description', type: 'text', nullable: true },
      userPath: { name: 'user_path', type: 'varchar', length: 255, nullable: true },
      models: { name: 'models', type: 'text', nullable: true },
      scopes: { name: 'scopes', type: 'varchar', length: 64 },
      limits: { name: 'limits', type: 'text', nullable: true },
      keyDigest: { name: 'key_digest', type: 'varchar', length: 64 },
      redactedValue: { name: 'redacted_value', type: 'varchar', length: 32 },
      active: { name: 'active', type: 'boolean', default: true },
      expiresAt: nullableInstant('expires_at'),
      createdAt: instantColumn(kind, 'created_at'),
      updatedAt: instantColumn(kind, 'updated_at'),
      lastUsedAt: nullableInstant('last_used_at'),
    },
    indices: [
      { name: 'idx_auth_keys_key_digest', columns: ['keyDigest'], unique: true },
      { name: 'idx_auth_keys_active', columns: ['active'] },
    ],
  });
}
