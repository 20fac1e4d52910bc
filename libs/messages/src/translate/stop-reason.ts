/** Anthropic's stop_reason and the stop sequence that matched, when one did. */
export interface StopInfo {
  readonly stop_reason: string;
  readonly stop_sequence: string | null;
}

/**
 * Chat `finish_reason` → Anthropic `stop_reason`. OpenAI reports a stop sequence as a plain `stop`,
 * so `stop_sequence` is only known when the upstream names the match (vLLM's `stop_reason`).
 */
export function toStopInfo(finishReason: unknown, matched: unknown, stopSequences: readonly string[]): StopInfo {
  switch (finishReason) {
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'tool_calls':
    case 'function_call':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case 'content_filter':
      return { stop_reason: 'refusal', stop_sequence: null };
    default:
      if (typeof matched === 'string' && stopSequences.includes(matched)) return { stop_reason: 'stop_sequence', stop_sequence: matched };
      return { stop_reason: 'end_turn', stop_sequence: null };
  }
}

/**
 * A tool call's arguments as Anthropic's `input` object. Arguments that are not a JSON object
 * (a model's malformed output) become `{}`, which is also what a streaming client's lenient
 * parser makes of them.
 */
export function toolInput(args: unknown): Record<string, unknown> {
  if (typeof args !== 'string' || args.trim() === '') return {};
  try {
    const input = JSON.parse(args) as unknown;
    return input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The reasoning text a chat message or delta carries (`reasoning_content`, or `reasoning` as some servers name it). */
export function reasoningText(message: Record<string, unknown> | undefined): string {
  const value = message?.reasoning_content ?? message?.reasoning;
  return typeof value === 'string' ? value : '';
}
