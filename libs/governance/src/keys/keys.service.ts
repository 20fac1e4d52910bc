import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { type AuthKeyPage, type AuthKeyPatch, type AuthKeyScope, AuthKeysRepository, type StoredAuthKey } from '@app/storage';
import type { KeyLimits } from '../key-limits';
import { generateKeyValue, redactKeyValue } from './key-digest';
import { KeyCache } from './key-cache';
import { KEY_INVALIDATION_BUS, type KeyInvalidationBus } from './key-invalidation';
import { parseUserPath } from './user-path';

/** What an operator gives to create a key (already shape-checked by the admin DTO). */
export interface NewManagedKey {
  readonly name: string;
  readonly description?: string | null;
  readonly userPath?: string | null;
  readonly models?: readonly string[] | null;
  readonly scopes?: readonly AuthKeyScope[];
  readonly limits?: KeyLimits | null;
  readonly expiresAt?: Date | null;
}

/** A key just created, with its secret: the only time the secret is known to anyone but its holder. */
export interface CreatedManagedKey {
  readonly key: StoredAuthKey;
  readonly value: string;
}

/** `key_` + creation time (12 hex digits of ms) + 16 random hex: ids sort by creation, so pages are keyset pages on the primary key. */
function newKeyId(now: Date): string {
  return `key_${now.getTime().toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`;
}

function keyNotFound(id: string): GatewayError {
  return new GatewayError('not_found', `No API key found with id '${id}'.`, { param: 'id', code: 'key_not_found' });
}

/**
 * Managed keys for the admin API: every write goes to storage, then into this replica's index at
 * once and to every other replica through the invalidation bus.
 */
@Injectable()
export class KeysService {
  private readonly logger = new Logger(KeysService.name);

  constructor(
    private readonly repository: AuthKeysRepository,
    private readonly cache: KeyCache,
    @Inject(KEY_INVALIDATION_BUS) private readonly bus: KeyInvalidationBus,
  ) {}

  async create(input: NewManagedKey): Promise<CreatedManagedKey> {
    const now = new Date();
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw GatewayError.invalidRequest("'expires_at' must be in the future.", 'expires_at');
    const value = generateKeyValue();
    const key: StoredAuthKey = {
      id: newKeyId(now),
      name: input.name,
      description: input.description ?? null,
      userPath: input.userPath == null ? null : checkedUserPath(input.userPath),
      models: input.models ?? null,
      scopes: input.scopes?.length ? [...new Set(input.scopes)] : ['inference'],
      limits: input.limits ?? null,
      keyDigest: this.cache.digest(value),
      redactedValue: redactKeyValue(value),
      active: true,
      expiresAt: input.expiresAt ?? null,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    };
    await this.repository.insert(key);
    await this.changed(key);
    return { key, value };
  }

  list(limit: number, after?: string): Promise<AuthKeyPage> {
    return this.repository.page(limit, after);
  }

  async get(id: string): Promise<StoredAuthKey> {
    const key = await this.repository.find(id);
    if (!key) throw keyNotFound(id);
    return key;
  }

  async update(id: string, patch: AuthKeyPatch): Promise<StoredAuthKey> {
    const key = await this.repository.update(id, patch, new Date());
    if (!key) throw keyNotFound(id);
    await this.changed(key);
    return key;
  }

  deactivate(id: string): Promise<StoredAuthKey> {
    return this.update(id, { active: false });
  }

  /** This replica's index now, every other replica's as soon as the message arrives. */
  private async changed(key: StoredAuthKey): Promise<void> {
    this.cache.apply(key);
    try {
      await this.bus.publish(key.id);
    } catch (error) {
      // Stored and applied here; other replicas pick it up at their next full refresh.
      this.logger.warn({ msg: 'could not announce a key change to the other replicas', keyId: key.id, error: (error as Error).message });
    }
  }
}

function checkedUserPath(raw: string): string {
  const parsed = parseUserPath(raw);
  if (!parsed.ok) throw GatewayError.invalidRequest(`'user_path' ${parsed.reason}.`, 'user_path');
  return parsed.path;
}
