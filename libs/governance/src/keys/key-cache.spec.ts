import type { AppConfig } from '@app/config';
import type { AuthKeysRepository, StoredAuthKey } from '@app/storage';
import { KeyCache } from './key-cache';
import { KeyDigester } from './key-digest';
import { KeyIndex } from './key-index';
import { MemoryKeyInvalidationBus } from './memory-key-invalidation.bus';

const SECRET = 'hash-secret';
const digester = new KeyDigester(SECRET);

function key(id: string, overrides: Partial<StoredAuthKey> = {}): StoredAuthKey {
  const now = new Date();
  return {
    id,
    name: id,
    description: null,
    userPath: null,
    models: null,
    scopes: ['inference'],
    limits: null,
    keyDigest: digester.digest(`sk-sy-${id}`),
    redactedValue: 'sk-sy-…',
    active: true,
    expiresAt: null,
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
    ...overrides,
  };
}

/** The repository as the cache uses it, over a Map standing for the table (what another replica wrote). */
class TableFake {
  readonly rows = new Map<string, StoredAuthKey>();
  touched: string[] = [];
  delayMs = 0;

  find = async (id: string) => {
    const row = this.rows.get(id) ?? null;
    await new Promise((done) => setTimeout(done, this.delayMs));
    return row;
  };
  listActive = () => Promise.resolve([...this.rows.values()].filter((row) => row.active));
  touch = (ids: readonly string[]) => {
    this.touched.push(...ids);
    return Promise.resolve();
  };
}

describe('KeyIndex', () => {
  it('finds active keys by digest, refuses expired ones at lookup, and drops deactivated ones', () => {
    const index = new KeyIndex();
    const now = Date.now();
    index.replaceAll([key('a'), key('b', { expiresAt: new Date(now + 1_000) }), key('c', { active: false })]);
    expect(index.size).toBe(2);
    expect(index.lookup(digester.digest('sk-sy-a'), now)).toMatchObject({ status: 'valid', key: { id: 'a' } });
    expect(index.lookup(digester.digest('sk-sy-b'), now).status).toBe('valid');
    expect(index.lookup(digester.digest('sk-sy-b'), now + 1_000).status).toBe('expired');
    expect(index.lookup(digester.digest('sk-sy-c'), now).status).toBe('unknown');
    index.apply(key('a', { active: false }));
    expect(index.lookup(digester.digest('sk-sy-a'), now).status).toBe('unknown');
  });
});

describe('KeyCache', () => {
  let table: TableFake;
  let bus: MemoryKeyInvalidationBus;
  let cache: KeyCache;

  beforeEach(async () => {
    table = new TableFake();
    table.rows.set('a', key('a'));
    bus = new MemoryKeyInvalidationBus();
    const config = { keys: { hashSecret: SECRET, refreshIntervalMs: 60_000 } } as AppConfig;
    cache = new KeyCache(config, table as unknown as AuthKeysRepository, bus);
    await cache.onApplicationBootstrap();
  });

  afterEach(() => cache.onModuleDestroy());

  it('loads the active keys at boot and finds a presented secret synchronously', () => {
    expect(cache.find('sk-sy-a')).toMatchObject({ status: 'valid', key: { id: 'a' } });
    expect(cache.find('sk-sy-b').status).toBe('unknown');
  });

  it('applies a change announced on the bus (another replica deactivated or created a key)', async () => {
    table.rows.set('a', key('a', { active: false }));
    table.rows.set('b', key('b'));
    await bus.publish('a');
    await bus.publish('b');
    await cache.reloadKey('b');
    expect(cache.find('sk-sy-a').status).toBe('unknown');
    expect(cache.find('sk-sy-b').status).toBe('valid');
  });

  it('applies reloads in order, so a slow older read never overwrites a newer one', async () => {
    table.delayMs = 20;
    const first = cache.reloadKey('a');
    // The first read has started (and seen the key active) before the key changes.
    await new Promise((done) => setTimeout(done, 5));
    table.rows.set('a', key('a', { active: false }));
    table.delayMs = 0;
    await Promise.all([first, cache.reloadKey('a')]);
    expect(cache.find('sk-sy-a').status).toBe('unknown');
  });

  it('catches up on a full reload (a lost message) and keeps its index when storage fails', async () => {
    table.rows.set('a', key('a', { active: false }));
    await cache.reloadAll();
    expect(cache.find('sk-sy-a').status).toBe('unknown');
    table.rows.set('c', key('c'));
    await cache.reloadAll();
    table.listActive = () => Promise.reject(new Error('database down'));
    await cache.reloadAll();
    expect(cache.find('sk-sy-c').status).toBe('valid');
  });

  it('refuses a key once its expiry passes, without any message', () => {
    cache.apply(key('d', { expiresAt: new Date(Date.now() - 1) }));
    expect(cache.find('sk-sy-d').status).toBe('expired');
  });

  it('records which keys were used, once per flush, off the request path', async () => {
    cache.find('sk-sy-a');
    cache.find('sk-sy-a');
    await cache.onModuleDestroy();
    expect(table.touched).toEqual(['a']);
  });
});
