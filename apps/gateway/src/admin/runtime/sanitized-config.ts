import type { AppConfig } from '@app/config';
import { REDACTED } from '@app/core';

// Field names whose values are credentials wherever they sit in the config tree.
const SECRET_NAME = /(key|keyid|secret|token|password|credential)s?$/i;
const URL_NAME = /url$/i;

/**
 * The running configuration as an operator may see it: every credential replaced with
 * `[redacted]` (provider keys, AWS credentials, the master key), URLs without their user info
 * (database and Redis passwords). Secrets are found by field name, so a new secret field is
 * hidden without touching this.
 */
export function sanitizedConfig(config: AppConfig): Record<string, unknown> {
  return sanitize(config) as Record<string, unknown>;
}

function sanitize(value: unknown, name = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_NAME.test(name)) return REDACTED;
    return URL_NAME.test(name) ? withoutCredentials(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => sanitize(item, name));
  if (value instanceof Set) return [...value].map((item) => sanitize(item, name));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sanitize(item, key)]));
  }
  return value;
}

/** A URL with its user info, and any `password`/`key`/`token` query value, redacted. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = REDACTED;
    if (parsed.username) parsed.username = REDACTED;
    for (const key of [...parsed.searchParams.keys()]) if (/password|key|token|secret/i.test(key)) parsed.searchParams.set(key, REDACTED);
    return parsed.toString();
  } catch {
    return url;
  }
}
