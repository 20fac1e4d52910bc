/** Prometheus metric names, in one place so dashboards and code agree. */
export const METRIC = {
  httpRequests: 'switchyard_http_requests_total',
  httpDuration: 'switchyard_http_request_duration_seconds',
  upstreamRequests: 'switchyard_upstream_requests_total',
  upstreamDuration: 'switchyard_upstream_request_duration_seconds',
  tokens: 'switchyard_tokens_total',
  timeToFirstToken: 'switchyard_time_to_first_token_seconds',
  upstreamRetries: 'switchyard_upstream_retries_total',
  circuitBreakerState: 'switchyard_circuit_breaker_state',
  usageRecordsDropped: 'switchyard_usage_records_dropped_total',
  usageRecordsWritten: 'switchyard_usage_records_written_total',
  failovers: 'switchyard_failovers_total',
  auditEntriesDropped: 'switchyard_audit_entries_dropped_total',
  auditEntriesWritten: 'switchyard_audit_entries_written_total',
  costUnknown: 'switchyard_cost_unknown_total',
  cacheRequests: 'switchyard_cache_requests_total',
  cacheSavedTokens: 'switchyard_cache_saved_tokens_total',
} as const;

/** `result` of switchyard_cache_requests_total: the response cache's verdict on one request. */
export type CacheResult = 'HIT' | 'MISS' | 'BYPASS';

/** Gauge values of `switchyard_circuit_breaker_state`. */
export const BREAKER_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;
export type BreakerState = keyof typeof BREAKER_STATE_VALUE;

export type TokenKind = 'input' | 'output' | 'cached' | 'reasoning';

/** Why a request moved on to the next target of its plan (`reason` of switchyard_failovers_total). */
export type FailoverReason = 'rate_limited' | 'server_error' | 'connect' | 'reset' | 'timeout' | 'circuit_open' | 'protocol' | 'unsupported';
