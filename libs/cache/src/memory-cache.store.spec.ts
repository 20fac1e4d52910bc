import { MemoryCacheStore } from './memory-cache.store';
import { describeCacheStoreBehaviour } from './testing/cache-store.behaviour';

describeCacheStoreBehaviour('MemoryCacheStore', () => new MemoryCacheStore(1_000));

describe('MemoryCacheStore', () => {
  it('reports its kind', () => {
    expect(new MemoryCacheStore(1).kind).toBe('memory');
  });

  it('holds at most maxEntries, evicting the least recently used entry', async () => {
    const store = new MemoryCacheStore(2);
    await store.set('a', '1');
    await store.set('b', '2');
    await store.get('a');
    await store.set('c', '3');
    expect(await store.get('a')).toBe('1');
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('c')).toBe('3');
  });

  it('counts counters against the same bound', async () => {
    const store = new MemoryCacheStore(2);
    await store.increment('x', 1, 10_000);
    await store.increment('y', 1, 10_000);
    await store.increment('z', 1, 10_000);
    expect(await store.get('x')).toBeUndefined();
    expect(await store.increment('z', 1, 10_000)).toBe(2);
  });
});
