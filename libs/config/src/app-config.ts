import type { GovernanceConfig } from './governance-config';
import type { MockDirectives } from './mock-directives';
import type { RoutingConfig } from './routing-config';

/**
 * Upstream dialects a provider instance can speak; each has one adapter in libs/providers.
 * `mock` is the built-in offline provider, answered in-process.
 */
export type ProviderDialect = 'openai' | 'anthropic' | 'gemini' | 'azure' | 'bedrock' | 'mock';

/** Azure OpenAI specifics. */
export interface AzureProviderOptions {
  /** `api-version` query parameter of the deployment-style API. */
  readonly apiVersion: string;
}

/** Amazon Bedrock specifics: region and credentials from the standard AWS variables. */
export interface BedrockProviderOptions {
  readonly region: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  /** `AWS_BEARER_TOKEN_BEDROCK`: a Bedrock API key, used instead of SigV4 when set. */
  readonly bearerToken?: string;
}

/** The built-in mock provider's settings. */
export interface MockProviderOptions {
  /** Added because no provider at all was configured (MOCK_PROVIDER unset), not asked for. */
  readonly automatic: boolean;
  /** MOCK_DIRECTIVES: applied to every mock call; the directives in a model name win over them. */
  readonly defaults: MockDirectives;
}

/** One configured upstream provider instance, e.g. `openai` or `openai-east`. */
export interface ProviderConfig {
  /** Instance name used in `provider/model` selectors: the type, or `type-suffix`. */
  readonly name: string;
  /** Provider type, e.g. `openai`, `groq`, `ollama`. */
  readonly type: string;
  readonly dialect: ProviderDialect;
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** Models from `<TYPE>_MODELS`; used when the upstream listing is unavailable. */
  readonly models: readonly string[];
  /**
   * Serves OpenAI's audio API (`/audio/speech`, `/audio/transcriptions`, `/audio/translations`):
   * on by default for OpenAI, Azure OpenAI and Groq, `<PREFIX>_AUDIO=true|false` for any instance.
   */
  readonly audio?: boolean;
  /**
   * Runs `/v1/batches` batches on the provider's own batch API (OpenAI's Batch API for OpenAI,
   * Groq and Azure OpenAI; Anthropic's Message Batches): on by default for those types,
   * `<PREFIX>_BATCH_NATIVE=false` turns it off. Other types never have it.
   */
  readonly batchNative?: boolean;
  readonly azure?: AzureProviderOptions;
  readonly bedrock?: BedrockProviderOptions;
  readonly mock?: MockProviderOptions;
}

/** Timeouts, retries and circuit-breaker tuning for upstream calls. */
export interface UpstreamConfig {
  readonly connectTimeoutMs: number;
  /** Time allowed until response headers arrive (the "first byte"). */
  readonly firstByteTimeoutMs: number;
  /** Time allowed for a whole non-streaming exchange, and between two chunks of a stream. */
  readonly totalTimeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly breakerFailureThreshold: number;
  readonly breakerCooldownMs: number;
  readonly poolConnections: number;
  readonly modelRefreshIntervalMs: number;
  /** `max_tokens` sent to providers that require one (Anthropic) when the client gave none. */
  readonly defaultMaxTokens: number;
}

export interface UsageConfig {
  readonly flushIntervalMs: number;
  readonly flushBatchSize: number;
  /** Records held in memory at most; beyond it new records are dropped and counted. */
  readonly bufferLimit: number;
  readonly retentionDays: number;
}

/** Which request/response bodies the audit log keeps (AUDIT_BODIES). */
export type AuditBodies = 'off' | 'errors' | 'all';

export interface AuditConfig {
  readonly bodies: AuditBodies;
  /** Bytes kept of each captured body; longer ones are cut and marked truncated. */
  readonly bodyMaxBytes: number;
  /** Header carrying the client address behind a proxy (e.g. `x-forwarded-for`); else the socket's. */
  readonly clientIpHeader?: string;
  /** Audit entries older than this are deleted hourly; 0 keeps them forever. */
  readonly retentionDays: number;
  /** Entries held in memory at most (bodies make them larger than usage records). */
  readonly bufferLimit: number;
}

export interface ResponsesConfig {
  /** Stored Responses API responses older than this are deleted hourly; 0 keeps them forever. */
  readonly retentionDays: number;
}

/** Batches API (`/v1/batches`). */
export interface BatchesConfig {
  /** `auto`: a provider's native batch API where it has one; `emulate`: always run items on Switchyard's workers (BATCH_MODE). */
  readonly mode: 'auto' | 'emulate';
  /** Items of emulated batches in flight at once per provider, per worker process (BATCH_CONCURRENCY). */
  readonly concurrency: number;
  /**
   * The same limit while the process is also serving inference requests (the embedded gateway):
   * batch items yield to live traffic (BATCH_FOREGROUND_CONCURRENCY, at most BATCH_CONCURRENCY).
   */
  readonly foregroundConcurrency: number;
  /** How long a claimed item stays reserved for its worker without a renewal (BATCH_ITEM_LEASE). */
  readonly leaseMs: number;
  /** Finished batches and their items older than this are deleted; 0 keeps them (BATCH_RETENTION_DAYS). */
  readonly retentionDays: number;
  /** A native batch is refreshed from its provider at most this often, on retrieve (BATCH_NATIVE_REFRESH). */
  readonly nativeRefreshMs: number;
}

/** The Files API (`/v1/files`) and the file store behind it. */
export interface FilesConfig {
  /** Largest upload accepted (FILES_MAX_BYTES); beyond it the upload is refused with a 413 and removed. */
  readonly maxBytes: number;
  /** Largest file a chat or Responses request may reference by id for inline expansion (FILES_INLINE_MAX_BYTES). */
  readonly inlineMaxBytes: number;
}

export interface QueueConfig {
  /** Tries per job, the first included. */
  readonly attempts: number;
  /** Base delay of the exponential backoff between tries. */
  readonly backoffMs: number;
  readonly concurrency: number;
  /** Finished jobs kept for inspection (BullMQ removeOnComplete / removeOnFail counts). */
  readonly keepCompleted: number;
  readonly keepFailed: number;
}

export interface CacheConfig {
  /** Entries held by the in-memory store (embedded mode). */
  readonly memoryMaxEntries: number;
  /** Prefix for every Redis key, so several deployments can share one Redis. */
  readonly keyPrefix: string;
  /** The exact-match response cache (CACHE_ENABLED …); off by default. */
  readonly responses: ResponseCacheConfig;
}

/** Who may read an entry: only the key that wrote it (`per_key`), or every key (`shared`). */
export type CacheScope = 'per_key' | 'shared';

/** The exact-match response cache's settings from env (per-model overrides live in the YAML file's `cache:`). */
export interface ResponseCacheConfig {
  /** CACHE_ENABLED: when false the pipeline does no cache work at all. */
  readonly enabled: boolean;
  /** CACHE_TTL: how long an entry lives unless the model or the request says otherwise. */
  readonly ttlMs: number;
  /** CACHE_SCOPE: the default scope of entries (a model's `scope` overrides it). */
  readonly scope: CacheScope;
  /** CACHE_MAX_ENTRY_BYTES: answers larger than this (before compression) are not stored. */
  readonly maxEntryBytes: number;
  /** CACHE_COMPRESS_THRESHOLD: serialized entries above this size are gzipped before storing. */
  readonly compressThresholdBytes: number;
  /** CACHE_HITS_CONSUME_TOKEN_LIMITS: whether a hit's tokens are charged to token limits and budgets. */
  readonly hitsConsumeTokenLimits: boolean;
  /** CACHE_LOCK_WAIT: how long a replica waits for another replica's identical miss before calling upstream itself. */
  readonly lockWaitMs: number;
}

/** Managed API keys. */
export interface KeysConfig {
  /** HMAC key of the stored key digests (SWITCHYARD_KEY_HASH_SECRET); a fixed default when unset. */
  readonly hashSecret?: string;
  /** Full reload of each replica's key index (KEY_CACHE_REFRESH_INTERVAL), the safety net behind pub/sub. */
  readonly refreshIntervalMs: number;
}

/** Timeouts of the gateway's own HTTP server, towards its clients (not upstream). */
export interface ServerConfig {
  /** Time a client has to send the complete request headers. */
  readonly headersTimeoutMs: number;
  /** Time a client has to send the whole request, body included; responses (streams) are not bounded. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection is held open between requests. */
  readonly keepAliveTimeoutMs: number;
}

/**
 * Opt-in refresh of the price database: off by default, so prices come from the bundled
 * @pydantic/genai-prices data and nothing is fetched (CI and air-gapped installs have no network).
 */
export interface PriceDataConfig {
  /** PRICES_REFRESH_INTERVAL: how often to fetch newer price data; 0 (the default) never fetches. */
  readonly refreshIntervalMs: number;
  /** PRICES_DATA_URL: where from; the package's published data file unless set. */
  readonly url?: string;
}

/** Native provider passthrough (`/p/{provider}/…`). */
export interface PassthroughConfig {
  readonly enabled: boolean;
  /** Provider instance or type names allowed through; undefined means every configured provider. */
  readonly providers?: readonly string[];
}

/** The `/v1/realtime` WebSocket relay (REALTIME_*). */
export interface RealtimeConfig {
  /** Off: upgrades to /v1/realtime are refused with a 501. */
  readonly enabled: boolean;
  /** A session is closed (1008) once it has lasted this long. */
  readonly maxSessionMs: number;
  /** A session with no frame in either direction for this long is closed (1008). */
  readonly idleTimeoutMs: number;
  /** Both legs are pinged this often; a leg that did not answer the previous ping is cut. */
  readonly pingIntervalMs: number;
  /** Largest frame accepted from either side (larger ones close the sender's leg with 1009). */
  readonly maxFrameBytes: number;
  /** The model an `?intent=transcription` session (which names none) is routed with. */
  readonly transcriptionModel: string;
}

/** TLS served by the gateway itself (HTTPS and WSS on PORT): PEM files, read at boot. */
export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The whole validated configuration; built once at boot by `loadConfig`. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  readonly masterKey?: string;
  readonly databaseUrl?: string;
  /** Connection attempts at boot after the first (DATABASE_BOOT_RETRIES), DATABASE_BOOT_RETRY_DELAY apart; then the boot fails. */
  readonly databaseBootRetries: number;
  readonly databaseBootRetryDelayMs: number;
  readonly dataDir: string;
  readonly runMigrations: boolean;
  readonly redisUrl?: string;
  readonly bodySizeLimit: number;
  /** Largest audio upload (the `file` of /v1/audio/transcriptions and translations), AUDIO_MAX_BYTES. */
  readonly audioMaxBytes: number;
  /** Deepest nesting of objects/arrays accepted in a JSON request body (JSON_MAX_DEPTH). */
  readonly jsonMaxDepth: number;
  readonly logLevel: LogLevel;
  readonly metricsEnabled: boolean;
  /** `/metrics` answers only to the master key (Bearer); off by default. */
  readonly metricsAuth: boolean;
  readonly swaggerEnabled: boolean;
  readonly drainTimeoutMs: number;
  readonly readinessTimeoutMs: number;
  /** Port of the worker's own small HTTP server (`/health`, `/metrics`); unused by the gateway. */
  readonly workerHttpPort: number;
  /** OpenTelemetry tracing: on only when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP/HTTP, `<it>/v1/traces`). */
  readonly tracing: { readonly otlpEndpoint?: string; readonly serviceName: string };
  readonly upstream: UpstreamConfig;
  readonly usage: UsageConfig;
  readonly audit: AuditConfig;
  readonly responses: ResponsesConfig;
  readonly batches: BatchesConfig;
  readonly files: FilesConfig;
  readonly queue: QueueConfig;
  readonly cache: CacheConfig;
  readonly keys: KeysConfig;
  readonly providers: readonly ProviderConfig[];
  readonly passthrough: PassthroughConfig;
  readonly server: ServerConfig;
  readonly realtime: RealtimeConfig;
  /** Set when TLS_CERT_FILE and TLS_KEY_FILE are: the gateway then serves HTTPS (and WSS) only. */
  readonly tls?: TlsConfig;
  /** Aliases and failover chains from the optional SWITCHYARD_CONFIG file. */
  readonly routing: RoutingConfig;
  /** Rate limits and budgets: configured limits, Redis failure modes, refresh intervals. */
  readonly governance: GovernanceConfig;
  readonly priceData: PriceDataConfig;
}

/** Injection token for the AppConfig object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
