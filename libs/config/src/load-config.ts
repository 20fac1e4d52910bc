import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppConfig, LogLevel } from './app-config';
import { ConfigError } from './config-error';
import { type Env, readBool, readBytes, readDurationMs, readEnum, readInt, readRequiredIfSet, readString, readUrl } from './env-parsers';
import { readGovernanceConfig } from './governance-config';
import { readPassthroughConfig } from './passthrough-config';
import { discoverProviders } from './provider-discovery';
import { readRoutingConfig } from './routing-config-file';
import { readRealtimeConfig, readTlsConfig } from './realtime-config';
import { readResponseCacheConfig } from './response-cache-config';
import { readServerConfig } from './server-config';

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Builds and validates the configuration from an environment map. Pure: tests pass their own map.
 * Throws ConfigError naming the first invalid variable.
 */
export function buildConfig(env: Env): AppConfig {
  const httpTimeoutMs = readDurationMs(env, 'HTTP_TIMEOUT', 600_000);
  const providers = discoverProviders(env);
  const masterKey = readRequiredIfSet(env, 'SWITCHYARD_MASTER_KEY');
  const defaultMaxTokens = readInt(env, 'DEFAULT_MAX_TOKENS', 4096, 1);
  return {
    port: readInt(env, 'PORT', 8080, 0),
    host: readString(env, 'HOST') ?? '0.0.0.0',
    masterKey,
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    // Nest's TypeORM defaults (9 × 3 s): a database starting next to the gateway gets ~30 s to come up.
    databaseBootRetries: readInt(env, 'DATABASE_BOOT_RETRIES', 9, 0),
    databaseBootRetryDelayMs: readDurationMs(env, 'DATABASE_BOOT_RETRY_DELAY', 3_000),
    dataDir: resolve(readString(env, 'DATA_DIR') ?? './data'),
    runMigrations: readBool(env, 'RUN_MIGRATIONS', true),
    redisUrl: readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']),
    bodySizeLimit: readBytes(env, 'BODY_SIZE_LIMIT', 10 * 1024 * 1024),
    // OpenAI's own limit on audio uploads.
    audioMaxBytes: readBytes(env, 'AUDIO_MAX_BYTES', 25 * 1024 * 1024),
    // Real requests nest ~10-30 levels (a tool's JSON schema sits at tools[i].function.parameters).
    jsonMaxDepth: readInt(env, 'JSON_MAX_DEPTH', 64, 1),
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    metricsEnabled: readBool(env, 'METRICS_ENABLED', true),
    metricsAuth: readMetricsAuth(env, masterKey),
    swaggerEnabled: readBool(env, 'SWAGGER_ENABLED', true),
    drainTimeoutMs: readDurationMs(env, 'SHUTDOWN_DRAIN_TIMEOUT', 30_000),
    readinessTimeoutMs: readDurationMs(env, 'READINESS_TIMEOUT', 2_000),
    // 9464 is the OpenTelemetry Prometheus exporter's default port, which scrape rules often already allow.
    workerHttpPort: readInt(env, 'WORKER_HTTP_PORT', 9464, 0),
    tracing: { otlpEndpoint: readUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']), serviceName: readString(env, 'OTEL_SERVICE_NAME') ?? 'switchyard-gateway' },
    upstream: {
      connectTimeoutMs: readDurationMs(env, 'HTTP_CONNECT_TIMEOUT', 10_000),
      firstByteTimeoutMs: readDurationMs(env, 'HTTP_FIRST_BYTE_TIMEOUT', Math.min(httpTimeoutMs, 120_000)),
      totalTimeoutMs: httpTimeoutMs,
      maxRetries: readInt(env, 'UPSTREAM_MAX_RETRIES', 2),
      retryBaseDelayMs: readDurationMs(env, 'UPSTREAM_RETRY_BASE_DELAY', 250),
      retryMaxDelayMs: readDurationMs(env, 'UPSTREAM_RETRY_MAX_DELAY', 10_000),
      breakerFailureThreshold: readInt(env, 'CIRCUIT_BREAKER_THRESHOLD', 5, 1),
      breakerCooldownMs: readDurationMs(env, 'CIRCUIT_BREAKER_COOLDOWN', 30_000),
      poolConnections: readInt(env, 'UPSTREAM_POOL_CONNECTIONS', 128, 1),
      modelRefreshIntervalMs: readDurationMs(env, 'MODEL_REFRESH_INTERVAL', 3_600_000),
      defaultMaxTokens,
    },
    usage: {
      flushIntervalMs: readDurationMs(env, 'USAGE_FLUSH_INTERVAL', 1_000),
      flushBatchSize: readInt(env, 'USAGE_FLUSH_BATCH_SIZE', 500, 1),
      bufferLimit: readInt(env, 'USAGE_BUFFER_LIMIT', 50_000, 1),
      retentionDays: readInt(env, 'USAGE_RETENTION_DAYS', 90),
    },
    audit: {
      bodies: readEnum(env, 'AUDIT_BODIES', ['off', 'errors', 'all'] as const, 'off'),
      bodyMaxBytes: readBytes(env, 'AUDIT_BODY_MAX_BYTES', 64 * 1024),
      clientIpHeader: readString(env, 'AUDIT_CLIENT_IP_HEADER')?.toLowerCase(),
      retentionDays: readInt(env, 'AUDIT_RETENTION_DAYS', 30),
      bufferLimit: readInt(env, 'AUDIT_BUFFER_LIMIT', 10_000, 1),
    },
    // OpenAI keeps stored responses for 30 days; the gateway's store follows that by default.
    responses: { retentionDays: readInt(env, 'RESPONSES_RETENTION_DAYS', 30) },
    batches: {
      mode: readEnum(env, 'BATCH_MODE', ['auto', 'emulate'] as const, 'auto'),
      concurrency: readInt(env, 'BATCH_CONCURRENCY', 32, 1),
      foregroundConcurrency: readInt(env, 'BATCH_FOREGROUND_CONCURRENCY', 2, 1),
      leaseMs: readDurationMs(env, 'BATCH_ITEM_LEASE', 60_000),
      retentionDays: readInt(env, 'BATCH_RETENTION_DAYS', 30),
      nativeRefreshMs: readDurationMs(env, 'BATCH_NATIVE_REFRESH', 5_000),
    },
    files: readFilesConfig(env),
    queue: {
      attempts: readInt(env, 'QUEUE_ATTEMPTS', 3, 1),
      backoffMs: readDurationMs(env, 'QUEUE_BACKOFF', 1_000),
      concurrency: readInt(env, 'QUEUE_CONCURRENCY', 4, 1),
      keepCompleted: readInt(env, 'QUEUE_KEEP_COMPLETED', 1_000),
      keepFailed: readInt(env, 'QUEUE_KEEP_FAILED', 5_000),
    },
    cache: {
      memoryMaxEntries: readInt(env, 'CACHE_MEMORY_MAX_ENTRIES', 10_000, 1),
      keyPrefix: readString(env, 'REDIS_KEY_PREFIX') ?? 'switchyard:',
      responses: readResponseCacheConfig(env),
    },
    keys: {
      hashSecret: readRequiredIfSet(env, 'SWITCHYARD_KEY_HASH_SECRET'),
      refreshIntervalMs: readDurationMs(env, 'KEY_CACHE_REFRESH_INTERVAL', 5_000),
    },
    providers,
    passthrough: readPassthroughConfig(env, providers),
    server: readServerConfig(env),
    realtime: readRealtimeConfig(env),
    tls: readTlsConfig(env),
    routing: readRoutingConfig(env, providers),
    governance: readGovernanceConfig(env, defaultMaxTokens),
    priceData: { refreshIntervalMs: readDurationMs(env, 'PRICES_REFRESH_INTERVAL', 0), url: readUrl(env, 'PRICES_DATA_URL', ['http:', 'https:']) },
  };
}

/** The file store records sizes in a 32-bit integer column: 2 GB - 1 is the most it can hold. */
const MAX_FILE_BYTES = 2 ** 31 - 1;

function readFilesConfig(env: Env): AppConfig['files'] {
  // OpenAI's own limits: 512 MB per file; inline file inputs are capped well below a request body.
  const maxBytes = readBytes(env, 'FILES_MAX_BYTES', 512 * 1024 * 1024);
  if (maxBytes > MAX_FILE_BYTES) throw new ConfigError('FILES_MAX_BYTES', `must be at most ${MAX_FILE_BYTES} bytes (2 GB - 1)`);
  return { maxBytes, inlineMaxBytes: readBytes(env, 'FILES_INLINE_MAX_BYTES', 32 * 1024 * 1024) };
}

/** METRICS_AUTH checks the master key, so it cannot be on without one. */
function readMetricsAuth(env: Env, masterKey: string | undefined): boolean {
  const on = readBool(env, 'METRICS_AUTH', false);
  if (on && !masterKey) throw new ConfigError('METRICS_AUTH', 'needs SWITCHYARD_MASTER_KEY: it is the key /metrics would require');
  return on;
}

/**
 * Reads the process environment (after an optional `.env` in the working directory, whose values
 * never override variables already set) and validates it. The only place that reads process.env.
 */
export function loadConfig(overrides: Env = {}): AppConfig {
  const envFile = resolve('.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return buildConfig({ ...process.env, ...overrides });
}
