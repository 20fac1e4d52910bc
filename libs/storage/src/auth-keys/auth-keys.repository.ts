import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, type FindOptionsWhere } from 'typeorm';
import { queueSqliteWrite } from '../database/sqlite-write-queue';
import { storableText } from '../database/storable-text';
import { AUTH_KEY_ID_LENGTH, AuthKeyEntity } from './auth-key.entity';
import type { AuthKeyPatch, AuthKeyScope, StoredAuthKey, StoredKeyLimits } from './stored-auth-key';

/** A page of keys, newest first. */
export interface AuthKeyPage {
  readonly keys: StoredAuthKey[];
  readonly hasMore: boolean;
}

function toStored(row: AuthKeyEntity): StoredAuthKey {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    userPath: row.userPath,
    models: row.models === null ? null : (JSON.parse(row.models) as string[]),
    scopes: JSON.parse(row.scopes) as AuthKeyScope[],
    limits: row.limits === null ? null : (JSON.parse(row.limits) as StoredKeyLimits),
    keyDigest: row.keyDigest,
    redactedValue: row.redactedValue,
    active: row.active,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

const NAME_LENGTH = 255;
const TOUCH_CHUNK = 500;
const DESCRIPTION_LENGTH = 4_000;
const nullableText = (value: string | null, length: number) => (value === null ? null : storableText(value, length));

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

// Ids arrive in URL paths: bounded and NUL-free before they reach a query (see storableText).
const idKey = (id: string) => storableText(id, AUTH_KEY_ID_LENGTH);

/** The only place managed keys meet TypeORM. */
@Injectable()
export class AuthKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: StoredAuthKey): Promise<void> {
    const row: AuthKeyEntity = {
      ...key,
      name: storableText(key.name, NAME_LENGTH),
      description: nullableText(key.description, DESCRIPTION_LENGTH),
      models: json(key.models),
      scopes: JSON.stringify(key.scopes),
      limits: json(key.limits),
    };
    await queueSqliteWrite(this.dataSource, () => this.rows().insert(row));
  }

  async find(id: string): Promise<StoredAuthKey | null> {
    const row = await this.rows().findOneBy({ id: idKey(id) });
    return row ? toStored(row) : null;
  }

  async findByDigest(digest: string): Promise<StoredAuthKey | null> {
    const row = await this.rows().findOneBy({ keyDigest: digest });
    return row ? toStored(row) : null;
  }

  /** Every active key (expired ones included: expiry is checked at lookup), for a replica's index. */
  async listActive(): Promise<StoredAuthKey[]> {
    return (await this.rows().findBy({ active: true })).map(toStored);
  }

  /** Newest first; `after` is the id of the last key of the previous page. Ids sort by creation time. */
  async page(limit: number, after?: string): Promise<AuthKeyPage> {
    const where: FindOptionsWhere<AuthKeyEntity> = after === undefined ? {} : { id: LessThan(idKey(after)) };
    const rows = await this.rows().find({ where, order: { id: 'DESC' }, take: limit + 1 });
    return { keys: rows.slice(0, limit).map(toStored), hasMore: rows.length > limit };
  }

  /** Applies the patch and bumps `updated_at`; null when there is no such key. */
  async update(id: string, patch: AuthKeyPatch, now: Date): Promise<StoredAuthKey | null> {
    const changes: Partial<AuthKeyEntity> = { updatedAt: now };
    if (patch.name !== undefined) changes.name = storableText(patch.name, NAME_LENGTH);
    if (patch.description !== undefined) changes.description = nullableText(patch.description, DESCRIPTION_LENGTH);
    if (patch.models !== undefined) changes.models = json(patch.models);
    if (patch.limits !== undefined) changes.limits = json(patch.limits);
    if (patch.expiresAt !== undefined) changes.expiresAt = patch.expiresAt;
    if (patch.active !== undefined) changes.active = patch.active;
    const result = await queueSqliteWrite(this.dataSource, () => this.rows().update({ id: idKey(id) }, changes));
    return result.affected ? this.find(id) : null;
  }

  /** Records when keys were last used (batched by the caller; not part of any request). */
  async touch(ids: readonly string[], at: Date): Promise<void> {
    // Chunked: one statement's bound parameters are limited (SQLite 32766, PostgreSQL 65535).
    for (let start = 0; start < ids.length; start += TOUCH_CHUNK) {
      const chunk = ids.slice(start, start + TOUCH_CHUNK);
      await queueSqliteWrite(this.dataSource, () => this.rows().update({ id: In(chunk) }, { lastUsedAt: at }));
    }
  }

  private rows() {
    return this.dataSource.getRepository(AuthKeyEntity);
  }
}
