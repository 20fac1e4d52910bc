import type { TokenUsage } from '@app/core';

/** The usage object of a Messages answer, as this gateway writes it on the translated path. */
export interface AnthropicUsageBody {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Anthropic usage → the gateway's TokenUsage. Anthropic's input_tokens excludes cache reads and
 * writes; the gateway counts all input, as OpenAI's prompt_tokens does, with the reads as cached.
 */
export function usageFromAnthropic(usage: Record<string, unknown>): TokenUsage {
  const cacheRead = count(usage.cache_read_input_tokens);
  return {
    inputTokens: count(usage.input_tokens) + cacheRead + count(usage.cache_creation_input_tokens),
    outputTokens: count(usage.output_tokens),
    cachedTokens: cacheRead,
    reasoningTokens: 0,
  };
}

/** Canonical (OpenAI) usage → Anthropic's: cached prompt tokens are cache reads, not input_tokens. */
export function anthropicUsageFromCanonical(usage: unknown): AnthropicUsageBody {
  const raw = (usage ?? {}) as Record<string, any>;
  const cached = count(raw.prompt_tokens_details?.cached_tokens);
  return {
    input_tokens: Math.max(0, count(raw.prompt_tokens) - cached),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    output_tokens: count(raw.completion_tokens),
  };
}
