import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/test-databases';
import { AuthKeysRepository } from './auth-keys.repository';
import type { StoredAuthKey } from './stored-auth-key';

let sequence = 0;
function key(overrides: Partial<StoredAuthKey> = {}): StoredAuthKey {
  sequence++;
  const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, sequence));
  return {
    id: `key_${createdAt.getTime().toString(16).padStart(12, '0')}${String(sequence).padStart(16, '0')}`,
    name: `key ${sequence}`,
    description: null,
    userPath: '/acme',
    models: ['openai/*'],
    scopes: ['inference'],
    limits: { requestsPerMinute: 60 },
    keyDigest: `${sequence}`.padStart(64, 'a'),
    redactedValue: 'sk-sy-…abcd',
    active: true,
    expiresAt: null,
    createdAt,
    updatedAt: createdAt,
    lastUsedAt: null,
    ...overrides,
  };
}

describe.each(['sqlite', 'postgres'] as const)('managed key storage on %s', (kind) => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: AuthKeysRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dataSource = new DataSource(db.options);
    await dataSource.initialize();
    await dataSource.runMigrations();
    repository = new AuthKeysRepository(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.dispose();
  });

  it('migrates to exactly the schema the entities describe, and reverts cleanly', async () => {
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
    // Later migrations are undone first, then the one that created the table.
    const queryRunner = dataSource.createQueryRunner();
    for (let step = 0; step < 50 && (await queryRunner.hasTable('auth_keys')); step++) await dataSource.undoLastMigration();
    await queryRunner.release();
    expect(await dataSource.createQueryRunner().hasTable('auth_keys')).toBe(false);
    await dataSource.runMigrations();
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
  });

  it('round-trips a key, JSON fields and instants included, by id and by digest', async () => {
    const stored = key({ description: 'with\u0000nul', expiresAt: new Date('2027-01-01T00:00:00.123Z') });
    await repository.insert(stored);
    expect(await repository.find(stored.id)).toEqual({ ...stored, description: 'withnul' });
    expect((await repository.findByDigest(stored.keyDigest))?.id).toBe(stored.id);
    expect(await repository.find('key_\u0000nope')).toBeNull();
  });

  it('refuses a second key with the same digest', async () => {
    const first = key();
    await repository.insert(first);
    await expect(repository.insert(key({ keyDigest: first.keyDigest }))).rejects.toThrow();
  });

  it('pages newest first, patches, lists only active keys, and records last use', async () => {
    const keys = [key(), key(), key()];
    for (const stored of keys) await repository.insert(stored);
    const first = await repository.page(2);
    expect(first.keys.map((k) => k.id)).toEqual([keys[2].id, keys[1].id]);
    expect(first.hasMore).toBe(true);
    const second = await repository.page(2, keys[1].id);
    expect(second.keys[0].id).toBe(keys[0].id);

    const now = new Date('2026-06-01T00:00:00.000Z');
    const patched = await repository.update(keys[0].id, { models: null, limits: null, name: 'renamed', active: false }, now);
    expect(patched).toMatchObject({ models: null, limits: null, name: 'renamed', active: false, updatedAt: now });
    expect(await repository.update('key_missing', { name: 'x' }, now)).toBeNull();
    expect((await repository.listActive()).map((k) => k.id)).not.toContain(keys[0].id);
    expect((await repository.listActive()).map((k) => k.id)).toContain(keys[1].id);

    await repository.touch([keys[1].id, keys[2].id], now);
    expect((await repository.find(keys[1].id))?.lastUsedAt).toEqual(now);
    // Last use is not a change: updated_at stays.
    expect((await repository.find(keys[1].id))?.updatedAt).toEqual(keys[1].updatedAt);
  });
});
