import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { TokenUsage } from '@app/core';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * One stored answer, exactly as the client first received it: a JSON body, or the SSE text of a
 * stream (replayed event by event). Provider and model name what served it, for the hit's usage
 * row; usage is what it consumed, so a hit can say what it saved.
 */
export interface CacheEntry {
  readonly kind: 'json' | 'sse';
  readonly status: number;
  /** The JSON body, or the whole SSE text. */
  readonly body: string;
  readonly contentType?: string;
  readonly provider: string;
  readonly model: string;
  readonly usage?: TokenUsage;
  /** Date.now() when it was stored (the `Age` of a hit). */
  readonly createdAt: number;
}

// One-character tags so a reader knows how the value was written (and an old value is never misread).
const PLAIN = 'j:';
const GZIP = 'z:';

/** The stored form: JSON, gzipped (base64) above `compressAbove` bytes; undefined when larger than `maxBytes` before compression. */
export async function encodeEntry(entry: CacheEntry, compressAbove: number, maxBytes: number): Promise<string | undefined> {
  const json = JSON.stringify(entry);
  const size = Buffer.byteLength(json);
  if (size > maxBytes) return undefined;
  if (size <= compressAbove) return PLAIN + json;
  return GZIP + (await gzipAsync(json)).toString('base64');
}

/** The entry a stored value holds; undefined for anything unreadable (treated as a miss, never as an error). */
export async function decodeEntry(value: string | undefined): Promise<CacheEntry | undefined> {
  if (value === undefined) return undefined;
  try {
    if (value.startsWith(PLAIN)) return JSON.parse(value.slice(PLAIN.length)) as CacheEntry;
    if (value.startsWith(GZIP)) return JSON.parse((await gunzipAsync(Buffer.from(value.slice(GZIP.length), 'base64'))).toString('utf8')) as CacheEntry;
  } catch {
    // A corrupt or foreign value: fall through to a miss, which overwrites it.
  }
  return undefined;
}

/** The SSE text split into its events (each with its blank line), one write each on replay. */
export function sseEvents(text: string): string[] {
  const events: string[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n\n', start);
    if (end === -1) break;
    events.push(text.slice(start, end + 2));
    start = end + 2;
  }
  if (start < text.length) events.push(text.slice(start));
  return events;
}
