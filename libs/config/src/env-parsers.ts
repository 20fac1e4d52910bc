import { ConfigError } from './config-error';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads one variable; empty strings count as unset so `FOO=` in a .env file means "default". */
export function readString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Reads a secret that switches protection on. Unlike readString, set-but-empty is an error: a
 * templated secret that rendered to "" must not silently run the gateway without protection.
 */
export function readRequiredIfSet(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (!value) throw new ConfigError(name, 'is set but empty; give it a value, or unset it to run without it');
  return value;
}

export function readInt(env: Env, name: string, fallback: number, min = 0): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min) throw new ConfigError(name, `must be at least ${min}, got ${value}`);
  return value;
}

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = readString(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

export function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = readString(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Durations accept `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds. */
export function readDurationMs(env: Env, name: string, fallbackMs: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.toLowerCase());
  if (!match) throw new ConfigError(name, `must be a duration such as 30s, 500ms or 5m, got "${raw}"`);
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 's']);
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Sizes accept `10mb`, `512kb`, or a bare number of bytes. */
export function readBytes(env: Env, name: string, fallback: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/.exec(raw.toLowerCase());
  if (!match) throw new ConfigError(name, `must be a size such as 10mb or 512kb, got "${raw}"`);
  const value = Number(match[1]) * SIZE_UNITS[match[2] ?? 'b'];
  if (value < 1) throw new ConfigError(name, 'must be greater than zero');
  return value;
}

export function readUrl(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'must be a valid URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  return raw;
}
