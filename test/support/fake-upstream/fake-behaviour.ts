/** How the fake answers one `POST /v1/chat/completions`. */
export type FakeBehaviour =
  | {
      kind: 'ok';
      /** Assistant text; ignored when `toolCalls` is set (OpenAI sends `content: null` then). */
      content?: string;
      /** Wait before sending the status line and headers. */
      delayMs?: number;
      /** Wait between SSE events (streaming requests only). */
      eventDelayMs?: number;
      /** Answer with one function call (the first tool declared in the request, else `get_weather`). */
      toolCalls?: boolean;
      /** Added to completion_tokens and reported in completion_tokens_details, as OpenAI does. */
      reasoningTokens?: number;
      /** Reported in prompt_tokens_details; prompt_tokens is raised to at least this value. */
      cachedTokens?: number;
    }
  /** An error response; the default body is OpenAI's error envelope for that status. Strings are sent verbatim. */
  | { kind: 'status'; status: number; retryAfter?: string; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  /** Destroy the socket without any response. */
  | { kind: 'reset' }
  /** Send headers and the first `afterEvents` SSE events (default 2), then destroy the socket. */
  | { kind: 'reset-mid-stream'; afterEvents?: number }
  /** Wait before sending headers, then answer like the default `ok`. */
  | { kind: 'slow-first-byte'; delayMs: number }
  /** 200 text/event-stream whose second event's data is not JSON, then the response ends without [DONE]. */
  | { kind: 'malformed-sse' }
  /** Never answer; the socket stays open until the client gives up or `close()` is called. */
  | { kind: 'hang' };

export type OkBehaviour = Extract<FakeBehaviour, { kind: 'ok' }>;

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** The request target as received, query string included. */
  url: string;
  /** Node's lower-cased header map. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** Parsed JSON body; undefined when the body is empty or not JSON. */
  body: any;
  /** Date.now() when the body had been read. */
  receivedAt: number;
}

export interface FakeUpstreamOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Served by GET /v1/models; default ['gpt-4o-mini', 'gpt-4o']. */
  models?: string[];
  /** When set, /v1/* requires `Authorization: Bearer <apiKey>` and answers 401 otherwise. */
  apiKey?: string;
  /** Keep every request in `requests` (default true). The benchmark turns it off to stay flat in memory. */
  recordRequests?: boolean;
}
