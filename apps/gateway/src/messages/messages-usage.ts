import { tokenCount } from '@app/core';

/** The usage object of a Messages answer, as this gateway writes it on the translated path. */
export interface AnthropicUsageBody {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/** Canonical (OpenAI) usage → Anthropic's: cached prompt tokens are cache reads, not input_tokens. */
export function anthropicUsageFromCanonical(usage: unknown): AnthropicUsageBody {
  const raw = (usage ?? {}) as Record<string, unknown>;
  const cached = tokenCount((raw.prompt_tokens_details as Record<string, unknown> | null | undefined)?.cached_tokens);
  return {
    input_tokens: Math.max(0, tokenCount(raw.prompt_tokens) - cached),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    output_tokens: tokenCount(raw.completion_tokens),
  };
}
