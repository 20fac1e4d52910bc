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

// The id is written as ASCII into one scratch buffer and read out as a single string: three ids per
// request (request, usage row, audit row) made the hex-then-slice version a visible allocator.
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
/** Where the two hex digits of each of the 16 bytes go in `text`. */
const DIGIT_POSITIONS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

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
  const start = entropyOffset;
  entropyOffset += 16;
  entropy.writeUIntBE(now, start, 6);
  entropy[start + 6] = 0x70 | (entropy[start + 6] & 0x0f); // version 7
  entropy[start + 8] = 0x80 | (entropy[start + 8] & 0x3f); // variant 10
  for (let index = 0; index < 16; index++) {
    const byte = entropy[start + index];
    const position = DIGIT_POSITIONS[index];
    text[position] = HEX_DIGITS[byte >> 4];
    text[position + 1] = HEX_DIGITS[byte & 0x0f];
  }
  return text.toString('latin1', 0, 36);
}

/** An OpenAI-style object id, e.g. `chatcmpl-…`, `resp_…`. */
export function generateId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}
