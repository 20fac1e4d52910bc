/** The admin API's JSON shapes the dashboard reads (see apps/gateway/src/admin/** DTOs). */
export interface UsageTotals {
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  reasoning_tokens: number;
  cost_micros: number;
  avg_latency_ms: number | null;
}
export interface UsageSummary extends UsageTotals {
  start: string;
  end: string;
  error_rate: number;
}
export interface UsagePeriod extends UsageTotals {
  period: string;
}
export interface UsageGroup extends UsageTotals {
  provider?: string | null;
  model?: string | null;
  key_id?: string | null;
  user_path?: string | null;
}
export interface ListOf<T> {
  data: T[];
  has_more?: boolean;
  next_cursor?: string | null;
}
export interface UsageRow {
  id: string;
  latency_ms: number;
}
export interface AuditSummary {
  id: string;
  created_at: string;
  request_id: string;
  key_id: string | null;
  key_name: string | null;
  user_path: string | null;
  method: string;
  route: string;
  path: string;
  provider: string | null;
  model: string | null;
  attempts: string[];
  status: number;
  error_type: string | null;
  error_message: string | null;
  stream: boolean;
  latency_ms: number;
  previous_response_id: string | null;
  conversation_id: string | null;
  body_truncated: boolean;
}
export interface AuditEntry extends AuditSummary {
  request_headers: Record<string, string> | null;
  request_body: string | null;
  response_body: string | null;
}
export interface AuditThread {
  responses: { id: string; created_at: string; status: string; model: string }[];
  entries: AuditSummary[];
}
export interface LiveEvent {
  request_id: string;
  time: string;
  method: string;
  path: string;
  status: number;
  model: string | null;
  provider: string | null;
  key_id: string | null;
  key_name: string | null;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
}
export interface AuthKey {
  id: string;
  name: string;
  description: string | null;
  user_path: string | null;
  models: string[] | null;
  scopes: string[];
  limits: { requests_per_minute?: number | null; tokens_per_minute?: number | null; max_parallel?: number | null } | null;
  redacted_value: string;
  active: boolean;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
}
export interface CreatedKey extends AuthKey {
  value: string;
}

export interface Budget {
  id: string;
  key_id: string | null;
  user_path: string | null;
  period: string | null;
  amount_micros: number;
  spent_micros: number;
  remaining_micros: number;
  period_start: string;
  period_end: string;
}
