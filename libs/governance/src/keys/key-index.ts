import type { StoredAuthKey } from '@app/storage';

/** What a presented key turned out to be. */
export type KeyLookup = { readonly status: 'valid'; readonly key: StoredAuthKey } | { readonly status: 'expired' | 'unknown' };

const UNKNOWN: KeyLookup = { status: 'unknown' };
const EXPIRED: KeyLookup = { status: 'expired' };

/**
 * A replica's in-memory copy of the active managed keys, by digest: the hot path's only source of
 * keys, so authenticating a request is a Map lookup and never waits on storage. Expiry is checked
 * at lookup (an expired key needs no message to stop working); deactivation removes the entry.
 */
export class KeyIndex {
  private byDigest = new Map<string, StoredAuthKey>();
  private readonly digestById = new Map<string, string>();

  get size(): number {
    return this.byDigest.size;
  }

  lookup(digest: string, now: number): KeyLookup {
    const key = this.byDigest.get(digest);
    if (key === undefined) return UNKNOWN;
    if (key.expiresAt !== null && key.expiresAt.getTime() <= now) return EXPIRED;
    return { status: 'valid', key };
  }

  /** Replaces the whole index with these keys (inactive ones are left out). */
  replaceAll(keys: readonly StoredAuthKey[]): void {
    this.byDigest = new Map();
    this.digestById.clear();
    for (const key of keys) this.apply(key);
  }

  /** Adds, replaces or (when inactive) removes one key. */
  apply(key: StoredAuthKey): void {
    this.remove(key.id);
    if (!key.active) return;
    this.byDigest.set(key.keyDigest, key);
    this.digestById.set(key.id, key.keyDigest);
  }

  remove(id: string): void {
    const digest = this.digestById.get(id);
    if (digest === undefined) return;
    this.byDigest.delete(digest);
    this.digestById.delete(id);
  }
}
