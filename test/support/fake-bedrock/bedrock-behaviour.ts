/** How the fake answers the next Converse / ConverseStream call. */
export type BedrockBehaviour =
  /** A text answer (default "Hello from the fake Bedrock."), end_turn unless told otherwise. */
  | { kind: 'text'; text?: string; stopReason?: string; reasoning?: string; cacheReadInputTokens?: number }
  /** One toolUse of the first tool in the request's toolConfig (input {"city":"Paris"}), stopReason tool_use. */
  | { kind: 'tool' }
  /** An HTTP error with `x-amzn-ErrorType` and a `{"message"}` body. */
  | { kind: 'status'; status: number; errorType: string; message: string }
  /** Stream only: some events, then a modelled exception frame. */
  | { kind: 'exception-mid-stream'; exceptionType: string; message: string }
  /** Stream only: some events, then the body ends cleanly but before messageStop. */
  | { kind: 'truncated-stream' }
  /** Stream only: some events, then half a frame, then the body ends. */
  | { kind: 'cut-frame' };

export interface BedrockRecordedRequest {
  method: string;
  /** Path as received (percent-encoding kept), without the query. */
  rawPath: string;
  /** Decoded model id from `/model/{modelId}/…`. */
  modelId: string;
  operation: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: any;
}

export const DEFAULT_TEXT = 'Hello from the fake Bedrock.';
export const TOOL_INPUT = { city: 'Paris' };
