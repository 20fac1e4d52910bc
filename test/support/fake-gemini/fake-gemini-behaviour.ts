/** A function call the fake answers with (a Gemini `functionCall` part). */
export interface FakeFunctionCall {
  name: string;
  args?: Record<string, unknown>;
  /** Gemini 2.5+ may give calls an id; older models never do. */
  id?: string;
  thoughtSignature?: string;
}

/** Token counts reported in `usageMetadata`; unset fields are computed from the request and answer. */
export interface FakeUsage {
  promptTokenCount?: number;
  cachedContentTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
}

/** How the fake answers one generateContent / streamGenerateContent / embed request. */
export type GeminiFakeBehaviour =
  | {
      kind: 'ok';
      /** Answer text (default DEFAULT_GEMINI_TEXT, or none when only function calls are given). */
      text?: string;
      /** Thought summary, returned as a `thought: true` part only when the request set includeThoughts. */
      thoughts?: string;
      functionCalls?: FakeFunctionCall[];
      /** Default STOP. */
      finishReason?: string;
      usage?: FakeUsage;
      delayMs?: number;
      /** Wait between SSE events (streaming only). */
      eventDelayMs?: number;
    }
  /** The prompt is blocked: no candidates, `promptFeedback.blockReason`. */
  | { kind: 'blocked'; blockReason: string }
  /**
   * Exact answers, for fixtures: `json` is the generateContent body, `events` the SSE events of
   * streamGenerateContent (each a GenerateContentResponse). Either may be omitted if unused.
   */
  | { kind: 'raw'; json?: unknown; events?: unknown[] }
  /** An error response; the default body is Gemini's error envelope for that status. Strings are sent verbatim. */
  | { kind: 'status'; status: number; body?: unknown; retryAfter?: string }
  /** Destroy the socket without any response. */
  | { kind: 'reset' }
  /** Send the first `afterEvents` SSE events of the default answer (default 1), then destroy the socket. */
  | { kind: 'reset-mid-stream'; afterEvents?: number }
  /** One good event, then an event whose data is not JSON, then a clean end. */
  | { kind: 'malformed-sse' }
  /** Good events without any finishReason, then a clean end: what a cut-off stream looks like. */
  | { kind: 'truncated-stream' }
  /** One good event, then `data: {"error":{…}}` as Gemini sends when generation fails mid-stream. */
  | { kind: 'error-mid-stream'; status?: number }
  /** Never answer. */
  | { kind: 'hang' };

export interface GeminiRecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1beta/models/gemini-2.5-flash:generateContent`. */
  path: string;
  url: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: any;
}

export interface FakeGeminiOptions {
  /** Served by GET /v1beta/models and accepted by the model routes. */
  models?: string[];
  /** When set, requests need `x-goog-api-key: <apiKey>` (or `?key=`). */
  apiKey?: string;
  /** Largest page GET /v1beta/models returns (Gemini's is 1000); lower it to exercise pagination. */
  maxPageSize?: number;
}
