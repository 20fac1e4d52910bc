import { GatewayError } from './gateway-error';

/** Longest id accepted: the widest id column in storage (responses, items) holds 128 characters. */
export const MAX_ID_LENGTH = 128;

/**
 * The shape of every object id the gateway accepts from a client (`resp_…`, `conv_…`, `msg_…`,
 * providers' own ids): OpenAI refuses any id with characters other than letters, digits, `_` and
 * `-`, and so does the gateway. It keeps NUL (which PostgreSQL cannot store), dots and slashes (which
 * would become path segments upstream) and CR/LF out of storage queries and provider URLs.
 */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

/** True when `value` is a string of the id shape (and starts with `prefix`, when given). */
export function isWellFormedId(value: unknown, prefix = ''): value is string {
  return typeof value === 'string' && ID_SHAPE.test(value) && value.startsWith(prefix);
}

/**
 * Returns `value` when it is a well-formed id, else throws a 400 naming `param`, worded as OpenAI
 * words it. `prefix` is required only of ids the gateway alone mints (conversations).
 */
export function requireWellFormedId(value: unknown, param: string, prefix = ''): string {
  if (isWellFormedId(value, prefix)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value) : typeof value;
  if (typeof value === 'string' && ID_SHAPE.test(value)) {
    throw GatewayError.invalidRequest(`Invalid '${param}': ${shown}. Expected an ID that begins with '${prefix.replace(/_$/, '')}'.`, param, 'invalid_id_prefix');
  }
  throw GatewayError.invalidRequest(`Invalid '${param}': ${shown}. Expected an ID of at most ${MAX_ID_LENGTH} letters, numbers, underscores or dashes.`, param, 'invalid_id');
}
