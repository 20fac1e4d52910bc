/** A JSON object as it comes off the wire; the gateway reads only what it translates. */
export type JsonObject = Record<string, unknown>;

/** A Responses API item (input or output), e.g. `{type:'message', role, content}`. */
export type ResponseItem = JsonObject;

/** Statuses a response object goes through. */
export type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'incomplete' | 'cancelled';

/** Statuses after which nothing about a response changes any more. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'incomplete', 'cancelled']);

/** Responses usage, with the token details OpenAI reports. */
export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** A chat message in the canonical (Chat Completions) shape. */
export type ChatMessage = JsonObject & { role: string };

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
