import type { ProviderConfig } from '@app/config';

/** Per-call context every adapter receives. */
export interface UpstreamCallContext {
  readonly requestId: string;
  /** Aborted when the client goes away or the gateway gives up on the call. */
  readonly signal: AbortSignal;
}

/** A chat completion request in the canonical (OpenAI Chat Completions) shape. */
export interface ChatCompletionCall {
  /** The full client body with `model` already rewritten to the upstream model id. */
  readonly body: Record<string, unknown>;
  readonly stream: boolean;
}

/** A complete, successful JSON answer in the canonical shape, as bytes ready to relay. */
export interface JsonResult {
  readonly kind: 'json';
  readonly status: number;
  readonly body: Buffer;
}

/**
 * A successful streaming answer. `events` yields the `data` payload of each canonical SSE event
 * (chat.completion.chunk JSON), excluding the final `[DONE]`; it throws a GatewayError when the
 * upstream stream breaks, and ends only after the upstream signalled a clean end.
 */
export interface StreamResult {
  readonly kind: 'stream';
  readonly status: number;
  readonly events: AsyncIterable<string>;
}

export type ChatCompletionResult = JsonResult | StreamResult;

/** One model an upstream lists. */
export interface UpstreamModel {
  readonly id: string;
  readonly created?: number;
  readonly ownedBy?: string;
}

/**
 * One upstream dialect. `chatCompletion` resolves once the upstream answered with a success status
 * (the "first byte"): everything before that may be retried, nothing after it. Failures are thrown
 * as GatewayError (with `status` and, for retry decisions, an UpstreamFailure cause).
 */
export interface ProviderAdapter {
  readonly provider: ProviderConfig;
  chatCompletion(call: ChatCompletionCall, context: UpstreamCallContext): Promise<ChatCompletionResult>;
  listModels(context: UpstreamCallContext): Promise<UpstreamModel[]>;
  close(): Promise<void>;
}
