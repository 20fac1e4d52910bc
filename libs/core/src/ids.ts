import { randomBytes, randomUUID } from 'node:crypto';

const MAX_REQUEST_ID_LENGTH = 128;
const SAFE_REQUEST_ID = /^[\w.:@/+=-]+$/;

/** Keeps a client's X-Request-ID when it is short and printable; otherwise makes a fresh one. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  if (value && value.length <= MAX_REQUEST_ID_LENGTH && SAFE_REQUEST_ID.test(value)) return value;
  return randomUUID();
}

/** An OpenAI-style object id, e.g. `chatcmpl-…`, `resp_…`. */
export function generateId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}
