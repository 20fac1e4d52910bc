import { randomBytes, randomFillSync } from 'node:crypto';

const MAX_REQUEST_ID_LENGTH = 128;
const SAFE_REQUEST_ID = /^[\w.:@/+=-]+$/;

/** Keeps a client's X-Request-ID when it is short and printable; otherwise makes a fresh one. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  if (value && value.length <= MAX_REQUEST_ID_LENGTH && SAFE_REQUEST_ID.test(value)) return value;
  return timeOrderedUuid();
}

// Random bytes are drawn 4 KB at a time (as randomUUID does): one getrandom call per 256 ids.
const entropy = Buffer.alloc(4096);
let entropyOffset = entropy.length;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. The gateway's request ids
 * and the ids of the rows it writes per request (usage, audit) are these, not v4: a random key
 * lands each insert on a random page of its B-tree index, so a 500-row batch dirtied ~500 pages per
 * such index (SQLite measured ~4 page writes per request across them); time-ordered keys append to
 * the right edge of the index.
 */
export function timeOrderedUuid(now = Date.now()): string {
  if (entropyOffset === entropy.length) {
    randomFillSync(entropy);
    entropyOffset = 0;
  }
  const bytes = entropy.subarray(entropyOffset, (entropyOffset += 16));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8] & 0x3f); // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An OpenAI-style object id, e.g. `chatcmpl-…`, `resp_…`. */
export function generateId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}
