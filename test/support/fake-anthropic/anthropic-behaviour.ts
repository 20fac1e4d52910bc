/** One content block of a scripted answer. Ids are generated when not given. */
export type FakeBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature?: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

export interface FakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** How the fake answers one `POST /v1/messages`. */
export type AnthropicBehaviour =
  | {
      kind: 'ok';
      /** The answer's blocks; a string is one text block. Default: one text block. */
      content?: FakeBlock[] | string;
      /** Default: `tool_use` when a tool_use block is present, else `end_turn`. */
      stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'pause_turn' | 'refusal';
      stopSequence?: string;
      /** Overrides the computed usage (input from the request's text length / 4, output from the answer's). */
      usage?: FakeUsage;
      /** Message id; default `msg_fake…`. */
      id?: string;
      delayMs?: number;
      /** Wait between SSE events (streaming requests only). */
      eventDelayMs?: number;
    }
  /** An error response; the default body is Anthropic's error envelope for that status. Strings are sent verbatim. */
  | { kind: 'status'; status: number; retryAfter?: string; headers?: Record<string, string>; body?: unknown }
  /** Destroy the socket without any response. */
  | { kind: 'reset' }
  /** Streams the default answer's first `afterEvents` events (default 3), then destroys the socket. */
  | { kind: 'reset-mid-stream'; afterEvents?: number }
  /** Streams the first `afterEvents` events (default 3), then an `error` event, then ends (as Anthropic does). */
  | { kind: 'stream-error'; afterEvents?: number; errorType?: string; message?: string }
  /** Streams the first `afterEvents` events (default 3), then ends the response cleanly without message_stop. */
  | { kind: 'truncated-stream'; afterEvents?: number }
  /** 200 text/event-stream whose second event's data is not JSON. */
  | { kind: 'malformed-sse' }
  /** Never answer. */
  | { kind: 'hang' };

export type AnthropicOk = Extract<AnthropicBehaviour, { kind: 'ok' }>;

export interface RecordedAnthropicRequest {
  method: string;
  path: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: any;
}

export interface FakeAnthropicOptions {
  /** When set, `x-api-key` must equal it (401 otherwise). */
  apiKey?: string;
  /** Served by GET /v1/models, newest first. Default: two Claude ids. */
  models?: string[];
  /** Largest page GET /v1/models returns whatever `limit` asks, to exercise pagination. */
  modelsPageSize?: number;
}
