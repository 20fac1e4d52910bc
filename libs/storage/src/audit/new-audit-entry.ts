/**
 * One audit entry as the gateway produces it, handed to `AuditWriter.record()`. Texts are cut to
 * their column lengths when written; bodies arrive already capped and redacted.
 */
export interface NewAuditEntry {
  requestId: string;
  /** When the request started; stored as UTC. */
  createdAt: Date;
  keyId: string | null;
  keyName: string | null;
  userPath: string | null;
  method: string;
  /** Route template, e.g. `/v1/chat/completions`, or `unmatched`. */
  route: string;
  /** Request path without its query string. */
  path: string;
  requestedModel: string | null;
  provider: string | null;
  model: string | null;
  /** The `provider/model` targets tried, in order; null when no provider was reached. */
  attempts: readonly string[] | null;
  status: number;
  errorType: string | null;
  errorMessage: string | null;
  stream: boolean;
  latencyMs: number;
  timeToFirstByteMs: number | null;
  clientIp: string | null;
  previousResponseId: string | null;
  conversationId: string | null;
  /** Request headers with credentials removed; only captured together with bodies. */
  requestHeaders: Record<string, string> | null;
  requestBody: string | null;
  responseBody: string | null;
  bodyTruncated: boolean;
  /** The response cache's verdict (HIT, MISS, BYPASS); absent when the cache was not consulted. */
  cache?: 'HIT' | 'MISS' | 'BYPASS' | null;
}
