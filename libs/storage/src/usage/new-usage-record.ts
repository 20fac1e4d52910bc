import type { CostBreakdown } from '@app/core';

/**
 * One usage record as a request handler produces it, handed to `UsageWriter.record()`.
 * Nullable fields are `null` when unknown (e.g. no provider was reached, or the request was not
 * streamed so there is no time to first token).
 */
export interface NewUsageRecord {
  /** The gateway request id (X-Request-ID). */
  requestId: string;
  /** When the request started; stored as UTC. */
  createdAt: Date;
  /** Configured provider instance name, e.g. `openai-east`. */
  provider: string | null;
  /** Resolved upstream model id. */
  model: string | null;
  /** Route template, e.g. `/v1/chat/completions`. */
  endpoint: string;
  /** HTTP status returned to the client. */
  status: number;
  stream: boolean;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  /** Cache writes and audio tokens (parts of input/output), kept so a cost can be recomputed; 0 when absent. */
  cacheWriteTokens?: number;
  audioInputTokens?: number;
  audioOutputTokens?: number;
  /** Audio billed by duration (whisper-style `duration` seconds), in milliseconds. */
  audioDurationMs?: number | null;
  /** Characters of speech input (/v1/audio/speech). */
  inputCharacters?: number | null;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  /** Id of the gateway key used (never the key itself). */
  keyId: string | null;
  userPath: string | null;
  /** Error envelope type when the request failed, e.g. `rate_limit_error`. */
  errorType: string | null;
  /** What the exchange cost, null when no price is known (never a guess). Filled by the governance pricing. */
  cost?: CostBreakdown | null;
  /** Answered from the response cache: no provider cost; `savedCostMicros` is what the upstream call would have cost. */
  cacheHit?: boolean;
  savedCostMicros?: number | null;
  /** The batch this row is an item of, and the item's `custom_id`. */
  batchId?: string | null;
  customId?: string | null;
}
