/** Token counts of one exchange, in the gateway's own neutral shape. */
export interface TokenUsage {
  /** All input tokens, cached ones included (OpenAI's `prompt_tokens` convention). */
  inputTokens: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache (part of inputTokens). */
  cachedTokens: number;
  /** Output tokens spent on reasoning (part of outputTokens). */
  reasoningTokens: number;
  /** Input tokens written to the provider's prompt cache (Anthropic `cache_creation_input_tokens`; part of inputTokens). */
  cacheWriteTokens?: number;
  /** Audio input tokens (part of inputTokens), where the provider reports them. */
  audioInputTokens?: number;
  /** Audio output tokens (part of outputTokens), where the provider reports them. */
  audioOutputTokens?: number;
  /** Seconds of audio the provider billed (whisper-style `usage: {type: "duration"}` or verbose_json `duration`). */
  audioSeconds?: number;
  /** Characters of input text (speech: what per-character TTS prices apply to). */
  inputCharacters?: number;
  /** The cost the provider reported for this exchange itself, in micro-dollars (OpenRouter `usage.cost`, xAI cost ticks). */
  reportedCostMicros?: number;
}

/** A token count from an upstream payload: a non-negative whole number, 0 when absent or malformed. */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Reads an OpenAI `usage` object (chat completions shape); undefined when absent. */
export function usageFromOpenAI(usage: unknown): TokenUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const raw = usage as Record<string, unknown>;
  return {
    inputTokens: tokenCount(raw.prompt_tokens ?? raw.input_tokens),
    outputTokens: tokenCount(raw.completion_tokens ?? raw.output_tokens),
    cachedTokens: tokenCount(detail(raw, 'prompt_tokens_details', 'cached_tokens') ?? detail(raw, 'input_tokens_details', 'cached_tokens')),
    reasoningTokens: tokenCount(detail(raw, 'completion_tokens_details', 'reasoning_tokens') ?? detail(raw, 'output_tokens_details', 'reasoning_tokens')),
  };
}

/** `usage[details][field]`: undefined when the details object is missing or null. */
function detail(usage: Record<string, unknown>, details: string, field: string): unknown {
  return (usage[details] as Record<string, unknown> | null | undefined)?.[field];
}

/**
 * Reads an Anthropic `usage` object. Anthropic's input_tokens excludes cache reads and writes; the
 * gateway counts all input, as OpenAI's prompt_tokens does, with the cache reads as cached.
 */
export function usageFromAnthropic(usage: Record<string, unknown>): TokenUsage {
  const cacheRead = tokenCount(usage.cache_read_input_tokens);
  return {
    inputTokens: tokenCount(usage.input_tokens) + cacheRead + tokenCount(usage.cache_creation_input_tokens),
    outputTokens: tokenCount(usage.output_tokens),
    cachedTokens: cacheRead,
    reasoningTokens: 0,
  };
}
