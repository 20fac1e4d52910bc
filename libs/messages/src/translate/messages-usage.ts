import { tokenCount } from '@app/core';

/** The usage object of a Messages answer, as this gateway writes it on the translated path. */
export interface AnthropicUsageBody {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/** Canonical (OpenAI) usage → Anthropic's: cached prompt tokens are cache reads and cache writes, not input_tokens. */
export function anthropicUsageFromCanonical(usage: unknown): AnthropicUsageBody {
  const raw = (usage ?? {}) as Record<string, unknown>;
  const cached = tokenCount((raw.prompt_tokens_details as Record<string, unknown> | null | undefined)?.cached_tokens);
  const cacheWrite = tokenCount(raw.cache_creation_input_tokens);
  return {
    input_tokens: Math.max(0, tokenCount(raw.prompt_tokens) - cached - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cached,
    output_tokens: tokenCount(raw.completion_tokens),
  };
}
