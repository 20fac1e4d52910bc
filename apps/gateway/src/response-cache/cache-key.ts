import { hash } from 'node:crypto';

/**
 * Top-level body fields that do not change the answer: who it is for (`user`, `metadata`), how it
 * is delivered (`stream`, `stream_options`). Everything else — messages, tools, sampling
 * parameters, response format — is part of the key.
 */
const EXCLUDED_FIELDS: ReadonlySet<string> = new Set(['user', 'metadata', 'stream', 'stream_options']);

/** What an entry is keyed on besides the body. */
export interface CacheKeyParts {
  /** `shared`, or `key:<id>` for a per-key entry. */
  readonly scope: string;
  /** The route template, e.g. `/v1/chat/completions`. */
  readonly route: string;
  /** The resolved target, `provider/model`. */
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/** The sha256 (hex) an entry is stored under: same parts, same key, whatever the order of the body's object keys. */
export function cacheKey(parts: CacheKeyParts): string {
  // Newline-separated: none of the three can contain one, so the parts cannot run into each other.
  // One-shot hash(): a Hash object per request cost twice as much for these few hundred bytes.
  return hash('sha256', `${parts.scope}\n${parts.route}\n${parts.target}\n${canonicalBody(parts.body)}`, 'hex');
}

/** The body as JSON with object keys sorted at every depth and the excluded top-level fields left out. */
export function canonicalBody(body: Record<string, unknown>): string {
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (!EXCLUDED_FIELDS.has(key) && body[key] !== undefined) kept[key] = body[key];
  return canonicalJson(kept);
}

/**
 * Built by appending to one string, with each object's keys sorted in place: the
 * filter/sort/map/join version allocated four arrays per object and was the largest allocator of
 * a cache hit.
 */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      const item: unknown = value[index];
      out += item === undefined ? 'null' : canonicalJson(item);
    }
    return out + ']';
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = sortedInPlace(Object.keys(record));
    let out = '{';
    for (const key of keys) {
      const field = record[key];
      if (field === undefined) continue;
      if (out.length > 1) out += ',';
      out += `${JSON.stringify(key)}:${canonicalJson(field)}`;
    }
    return out + '}';
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * An insertion sort, in the order of Array.prototype.sort() without a comparator (UTF-16 code
 * units). Request objects have a handful of keys, and the built-in sort allocated about 0.9 KB of
 * working state per call: with three objects per chat body, more than the rest of the key.
 */
function sortedInPlace(keys: string[]): string[] {
  for (let next = 1; next < keys.length; next++) {
    const key = keys[next];
    let slot = next;
    while (slot > 0 && keys[slot - 1] > key) {
      keys[slot] = keys[slot - 1];
      slot--;
    }
    keys[slot] = key;
  }
  return keys;
}
