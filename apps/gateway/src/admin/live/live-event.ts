import type { TokenUsage } from '@app/core';
import type { NewAuditEntry } from '@app/storage';

/** The `data` of one live `request` event: an audit entry's summary, without bodies, with its tokens. */
export interface LiveEvent {
  readonly request_id: string;
  readonly time: string;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly status: number;
  readonly requested_model: string | null;
  readonly provider: string | null;
  readonly model: string | null;
  readonly attempts: readonly string[];
  readonly key_id: string | null;
  readonly key_name: string | null;
  readonly user_path: string | null;
  readonly stream: boolean;
  readonly latency_ms: number;
  readonly time_to_first_byte_ms: number | null;
  readonly error_type: string | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
}

export function liveEventOf(entry: Readonly<NewAuditEntry>, usage: TokenUsage | undefined): LiveEvent {
  return {
    request_id: entry.requestId,
    time: entry.createdAt.toISOString(),
    method: entry.method,
    route: entry.route,
    path: entry.path,
    status: entry.status,
    requested_model: entry.requestedModel,
    provider: entry.provider,
    model: entry.model,
    attempts: entry.attempts ?? [],
    key_id: entry.keyId,
    key_name: entry.keyName,
    user_path: entry.userPath,
    stream: entry.stream,
    latency_ms: entry.latencyMs,
    time_to_first_byte_ms: entry.timeToFirstByteMs,
    error_type: entry.errorType,
    input_tokens: usage?.inputTokens ?? 0,
    output_tokens: usage?.outputTokens ?? 0,
  };
}
