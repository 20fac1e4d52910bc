import type { ServerResponse } from 'node:http';
import { REDACTED, redactSecrets } from '@app/core';

/** Header names whose values are credentials; dropped from captured headers. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
  'openai-api-key',
  'anthropic-api-key',
]);

// JSON fields that hold credentials by name, whatever their value looks like.
const SECRET_FIELD =
  /("(?:api[_-]?key|apikey|authorization|password|passwd|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token|id[_-]?token|token|private[_-]?key)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** A body as the audit log keeps it: credentials redacted, cut to `maxBytes`. */
export interface CapturedBody {
  readonly text: string;
  readonly truncated: boolean;
}

/** Redacts credentials (by field name, configured secrets, key shapes), then cuts to `maxBytes`. */
export function captureText(text: string, maxBytes: number, alreadyTruncated = false): CapturedBody {
  const redacted = redactSecrets(text.replace(SECRET_FIELD, `$1"${REDACTED}"`));
  if (Buffer.byteLength(redacted) <= maxBytes) return { text: redacted, truncated: alreadyTruncated };
  return { text: Buffer.from(redacted).subarray(0, maxBytes).toString('utf8'), truncated: true };
}

/** Request headers without credentials, values redacted; repeated headers joined. */
export function capturedHeaders(headers: NodeJS.Dict<string | string[]>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || CREDENTIAL_HEADERS.has(name)) continue;
    kept[name] = redactSecrets(Array.isArray(value) ? value.join(', ') : value);
  }
  return kept;
}

/**
 * Keeps the first `maxBytes` of what a response writes, passing every write through untouched:
 * a stream is never held whole, only its head. Installed only when AUDIT_BODIES asks for bodies.
 */
export class ResponseBodyTee {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  private cut = false;

  constructor(
    response: ServerResponse,
    private readonly maxBytes: number,
  ) {
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      this.take(chunk);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    response.end = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') this.take(chunk);
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
  }

  body(): CapturedBody | null {
    if (this.bytes === 0) return null;
    return captureText(Buffer.concat(this.chunks).toString('utf8'), this.maxBytes, this.cut);
  }

  private take(chunk: unknown): void {
    if (chunk === undefined || chunk === null || this.cut) return;
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength) : undefined;
    if (!buffer) return;
    const room = this.maxBytes - this.bytes;
    if (buffer.byteLength > room) this.cut = true;
    const kept = buffer.byteLength > room ? buffer.subarray(0, room) : buffer;
    // A copy: the caller may reuse its buffer after write() returns.
    this.chunks.push(Buffer.from(kept));
    this.bytes += kept.byteLength;
  }
}
