import { tokenCount } from '@app/core';
import type { AnthropicUsage } from './anthropic-types';

/** The canonical (OpenAI) usage object every answer carries. */
export interface CanonicalUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
  /** Cache writes, billed at their own rate; OpenAI has no field for them, so LiteLLM's name (only when > 0). */
  cache_creation_input_tokens?: number;
}

/**
 * Anthropic reports uncached input, cache reads and cache writes separately; OpenAI's prompt_tokens
 * is all input, with the cache hits as a detail. Anthropic does not split thinking out of
 * `output_tokens`, so reasoning_tokens is 0 rather than a guess (output_tokens still includes it).
 */
export function toCanonicalUsage(usage: AnthropicUsage | undefined): CanonicalUsage {
  const cacheRead = tokenCount(usage?.cache_read_input_tokens);
  const cacheWrite = tokenCount(usage?.cache_creation_input_tokens);
  const prompt = tokenCount(usage?.input_tokens) + cacheRead + cacheWrite;
  const completion = tokenCount(usage?.output_tokens);
  const canonical: CanonicalUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
  if (cacheWrite > 0) canonical.cache_creation_input_tokens = cacheWrite;
  return canonical;
}

/** Stream usage is cumulative: later events (message_delta) override what message_start said. */
export function mergeUsage(into: AnthropicUsage, update: unknown): void {
  if (!update || typeof update !== 'object') return;
  const record = update as Record<string, unknown>;
  for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    if (typeof record[key] === 'number') into[key] = record[key];
  }
}
