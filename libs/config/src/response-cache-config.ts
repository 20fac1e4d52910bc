import type { ResponseCacheConfig } from './app-config';
import { ConfigError } from './config-error';
import { type Env, readBool, readBytes, readDurationMs, readEnum } from './env-parsers';

/** The response cache's env settings (see README "Cache"); per-model overrides come from the YAML file. */
export function readResponseCacheConfig(env: Env): ResponseCacheConfig {
  const ttlMs = readDurationMs(env, 'CACHE_TTL', 3_600_000);
  // A zero TTL would make Redis refuse every write (PX must be positive): refuse it at boot instead.
  if (ttlMs < 1_000) throw new ConfigError('CACHE_TTL', 'must be at least 1s');
  return {
    enabled: readBool(env, 'CACHE_ENABLED', false),
    ttlMs,
    scope: readEnum(env, 'CACHE_SCOPE', ['per_key', 'shared'], 'per_key'),
    maxEntryBytes: readBytes(env, 'CACHE_MAX_ENTRY_BYTES', 1024 * 1024),
    compressThresholdBytes: readBytes(env, 'CACHE_COMPRESS_THRESHOLD', 4096),
    hitsConsumeTokenLimits: readBool(env, 'CACHE_HITS_CONSUME_TOKEN_LIMITS', false),
    lockWaitMs: readDurationMs(env, 'CACHE_LOCK_WAIT', 2_000),
  };
}
