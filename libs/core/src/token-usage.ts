/** Token counts of one exchange, in the gateway's own neutral shape. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Reads an OpenAI `usage` object (chat completions shape); undefined when absent. */
export function usageFromOpenAI(usage: unknown): TokenUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const raw = usage as Record<string, any>;
  return {
    inputTokens: count(raw.prompt_tokens ?? raw.input_tokens),
    outputTokens: count(raw.completion_tokens ?? raw.output_tokens),
    cachedTokens: count(raw.prompt_tokens_details?.cached_tokens ?? raw.input_tokens_details?.cached_tokens),
    reasoningTokens: count(raw.completion_tokens_details?.reasoning_tokens ?? raw.output_tokens_details?.reasoning_tokens),
  };
}
