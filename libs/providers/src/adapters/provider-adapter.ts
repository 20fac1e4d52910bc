import type { Readable } from 'node:stream';
import type { ProviderConfig } from '@app/config';
import type { UpstreamHttpResponse } from './upstream-http';

/** Per-call context every adapter receives. */
export interface UpstreamCallContext {
  readonly requestId: string;
  /** Aborted when the client goes away or the gateway gives up on the call. */
  readonly signal: AbortSignal;
  /** The client's `x-mock-directive` header, read only by the mock provider (over its model's directives). */
  readonly directives?: string;
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
  /** The answer's top-level `usage` (undefined when it has none), so no caller parses the body for it. */
  readonly usage: unknown;
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

/** An embeddings request in the canonical (OpenAI /v1/embeddings) shape, model rewritten. */
export interface EmbeddingsCall {
  readonly body: Record<string, unknown>;
}

/**
 * A request forwarded in the provider's own dialect (native passthrough, native Messages or
 * Responses forwarding). The adapter adds its credentials; the body is opaque and may stream.
 */
export interface RawUpstreamRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  /** Path (and query) relative to the provider's base URL, e.g. `/messages` or `/files?limit=2`. */
  readonly path: string;
  /** Client headers already stripped of credentials and hop-by-hop headers. */
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer | Readable | null;
}

/** One of OpenAI's audio endpoints: `/audio/speech`, `/audio/transcriptions`, `/audio/translations`. */
export type AudioOperation = 'speech' | 'transcriptions' | 'translations';

/** A request to an audio endpoint, already in the upstream's shape (model rewritten in the body). */
export interface AudioCall {
  readonly operation: AudioOperation;
  /** The upstream model id (on Azure's deployment surface, the deployment in the path). */
  readonly model: string;
  /** `application/json` (speech) or `multipart/form-data; boundary=…` (transcriptions, translations). */
  readonly contentType: string;
  /** Sent when known (a multipart body's computed length): some servers refuse chunked uploads. */
  readonly contentLength?: number;
  /** A fresh body per attempt: a Readable is consumed by the attempt that sends it. */
  readonly body: string | Buffer | Readable;
}

/**
 * The audio API of a provider that speaks OpenAI's (OpenAI, Azure OpenAI, Groq, compatible
 * servers). `send` resolves at a 2xx answer's headers, the body unread; any other status is thrown
 * as the upstream's UpstreamFailure, so 429/5xx are retried and failed over like chat.
 */
export interface AudioEndpoints {
  send(call: AudioCall, context: UpstreamCallContext): Promise<UpstreamHttpResponse>;
}

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
  /** Embeddings, answered in the canonical shape; a provider without them throws a 400 naming itself. */
  embeddings(call: EmbeddingsCall, context: UpstreamCallContext): Promise<JsonResult>;
  listModels(context: UpstreamCallContext): Promise<UpstreamModel[]>;
  /**
   * Models served beyond the listing (the mock's parametric names such as `fail-418`). Routing
   * accepts them; metric labels still name only listed models, so they stay bounded.
   */
  acceptsModel?(model: string): boolean;
  /** OpenAI's audio API, present only when the provider serves it (`ProviderConfig.audio`). */
  readonly audio?: AudioEndpoints;
  /** Sends a native request with the provider's credentials; resolves at response headers, any status. */
  forward(request: RawUpstreamRequest, context: UpstreamCallContext): Promise<UpstreamHttpResponse>;
  close(): Promise<void>;
}
