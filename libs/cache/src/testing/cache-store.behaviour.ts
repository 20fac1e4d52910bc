import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CacheStore } from '../cache-store';

/**
 * The TTL of the expiry cases. Long enough that the reads meant to land before it do so on a
 * loaded CI machine (a 100 ms TTL expired between a set and the get right after it there).
 */
const TTL_MS = 1_200;

/**
 * The behaviour every CacheStore must show, run against the memory store (unit) and against a real
 * Redis (integration), so embedded mode and production cannot drift apart.
 */
export function describeCacheStoreBehaviour(name: string, getStore: () => CacheStore): void {
  describe(`${name} (CacheStore behaviour)`, () => {
    let seq = 0;
    const key = (label: string): string => `${label}:${Date.now()}:${++seq}`;

    it('returns undefined for a missing key and the stored value otherwise', async () => {
      const store = getStore();
      const k = key('plain');
      expect(await store.get(k)).toBeUndefined();
      await store.set(k, 'one');
      expect(await store.get(k)).toBe('one');
      await store.set(k, 'two');
      expect(await store.get(k)).toBe('two');
    });

    it('stores only when absent (a lock), and lets it go with its TTL', async () => {
      const store = getStore();
      const k = key('nx');
      expect(await store.setIfAbsent(k, 'a', TTL_MS)).toBe(true);
      expect(await store.setIfAbsent(k, 'b', TTL_MS)).toBe(false);
      expect(await store.get(k)).toBe('a');
      await sleep(TTL_MS + 300);
      expect(await store.setIfAbsent(k, 'c', TTL_MS)).toBe(true);
    });

    it('keeps sets of members and deletes several keys at once', async () => {
      const store = getStore();
      const index = key('set');
      expect(await store.setMembers(index)).toEqual([]);
      await store.addToSet(index, 'x');
      await store.addToSet(index, 'y');
      await store.addToSet(index, 'x');
      expect((await store.setMembers(index)).sort()).toEqual(['x', 'y']);
      const [a, b] = [key('many'), key('many')];
      await store.set(a, '1');
      await store.set(b, '2');
      await store.deleteMany([a, b, index, key('absent')]);
      expect([await store.get(a), await store.get(b), await store.setMembers(index)]).toEqual([undefined, undefined, []]);
      await expect(store.deleteMany([])).resolves.toBeUndefined();
    });

    it('forgets a deleted key', async () => {
      const store = getStore();
      const k = key('deleted');
      await store.set(k, 'x');
      await store.delete(k);
      expect(await store.get(k)).toBeUndefined();
      await expect(store.delete(k)).resolves.toBeUndefined();
    });

    it('expires a value after its TTL', async () => {
      const store = getStore();
      const k = key('ttl');
      await store.set(k, 'short', TTL_MS);
      expect(await store.get(k)).toBe('short');
      await sleep(TTL_MS + 300);
      expect(await store.get(k)).toBeUndefined();
    });

    it('drops the old TTL when a value is set again without one', async () => {
      const store = getStore();
      const k = key('ttl-reset');
      await store.set(k, 'short', 100);
      await store.set(k, 'forever');
      await sleep(250);
      expect(await store.get(k)).toBe('forever');
    });

    it('creates a counter with the increment and adds later increments, negative ones included', async () => {
      const store = getStore();
      const k = key('counter');
      expect(await store.increment(k, 5, 10_000)).toBe(5);
      expect(await store.increment(k, 2, 10_000)).toBe(7);
      expect(await store.increment(k, -10, 10_000)).toBe(-3);
      expect(await store.get(k)).toBe('-3');
    });

    it('applies concurrent increments exactly once each', async () => {
      const store = getStore();
      const k = key('concurrent');
      const results = await Promise.all(Array.from({ length: 50 }, () => store.increment(k, 1, 10_000)));
      expect(new Set(results).size).toBe(50);
      expect(Math.max(...results)).toBe(50);
      expect(await store.get(k)).toBe('50');
    });

    it('sets the counter TTL at creation and does not extend it on later increments', async () => {
      const store = getStore();
      const k = key('window');
      await store.increment(k, 1, TTL_MS);
      await sleep(TTL_MS / 3);
      expect(await store.increment(k, 1, TTL_MS)).toBe(2);
      // The creation TTL ends the key at TTL_MS; one extended by the second increment would keep
      // it until ~4/3 TTL_MS, past this read at ~7/6 TTL_MS.
      await sleep((TTL_MS * 5) / 6);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.increment(k, 1, TTL_MS)).toBe(1);
    });

    it('rejects incrementing a non-integer value, fractional increments and non-positive TTLs', async () => {
      const store = getStore();
      const k = key('text');
      await store.set(k, 'not a number');
      await expect(store.increment(k, 1, 1_000)).rejects.toThrow();
      await expect(store.increment(key('fraction'), 1.5, 1_000)).rejects.toThrow(RangeError);
      await expect(store.increment(key('ttl0'), 1, 0)).rejects.toThrow(RangeError);
      await expect(store.set(key('ttl-neg'), 'v', -1)).rejects.toThrow(RangeError);
      expect(await store.get(k)).toBe('not a number');
    });

    it('answers ping', async () => {
      await expect(getStore().ping()).resolves.toBeUndefined();
    });
  });
}
