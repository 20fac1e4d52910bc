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

/**
 * Reads an OpenAI-shaped `usage` object (Chat Completions or Responses); undefined when absent.
 * Also reads what OpenAI-compatible providers add: DeepSeek's `prompt_cache_hit_tokens`, OpenRouter's
 * `cost` (USD), xAI's `cost_in_usd_ticks` (1 USD = 10^10 ticks), and `cache_creation_input_tokens`,
 * which the gateway's own Anthropic and Bedrock translations carry (LiteLLM's convention).
 */
export function usageFromOpenAI(usage: unknown): TokenUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const raw = usage as Record<string, unknown>;
  const result: TokenUsage = {
    inputTokens: tokenCount(raw.prompt_tokens ?? raw.input_tokens),
    outputTokens: tokenCount(raw.completion_tokens ?? raw.output_tokens),
    cachedTokens: tokenCount(detail(raw, 'prompt_tokens_details', 'cached_tokens') ?? detail(raw, 'input_tokens_details', 'cached_tokens') ?? raw.prompt_cache_hit_tokens),
    reasoningTokens: tokenCount(detail(raw, 'completion_tokens_details', 'reasoning_tokens') ?? detail(raw, 'output_tokens_details', 'reasoning_tokens')),
  };
  setIfPositive(result, 'cacheWriteTokens', tokenCount(raw.cache_creation_input_tokens));
  setIfPositive(result, 'audioInputTokens', tokenCount(detail(raw, 'prompt_tokens_details', 'audio_tokens') ?? detail(raw, 'input_tokens_details', 'audio_tokens')));
  setIfPositive(result, 'audioOutputTokens', tokenCount(detail(raw, 'completion_tokens_details', 'audio_tokens') ?? detail(raw, 'output_tokens_details', 'audio_tokens')));
  const reported = reportedCostMicros(raw);
  if (reported !== undefined) result.reportedCostMicros = reported;
  return result;
}

/** `usage[details][field]`: undefined when the details object is missing or null. */
function detail(usage: Record<string, unknown>, details: string, field: string): unknown {
  return (usage[details] as Record<string, unknown> | null | undefined)?.[field];
}

// Optional counts are only set when reported, so a usage without them stays the four-field shape.
function setIfPositive(usage: TokenUsage, field: 'cacheWriteTokens' | 'audioInputTokens' | 'audioOutputTokens', value: number): void {
  if (value > 0) usage[field] = value;
}

const TICKS_PER_MICRO = 10_000;

/** The provider's own figure in micro-dollars: xAI ticks (exact integers) first, else OpenRouter's USD `cost`. */
function reportedCostMicros(raw: Record<string, unknown>): number | undefined {
  const ticks = raw.cost_in_usd_ticks;
  if (typeof ticks === 'number' && Number.isFinite(ticks) && ticks >= 0) return Math.round(ticks / TICKS_PER_MICRO);
  const usd = raw.cost;
  if (typeof usd === 'number' && Number.isFinite(usd) && usd >= 0) return Math.round(usd * 1_000_000);
  return undefined;
}

/**
 * Reads an Anthropic `usage` object. Anthropic's input_tokens excludes cache reads and writes; the
 * gateway counts all input, as OpenAI's prompt_tokens does, with the cache reads as cached and the
 * cache writes (`cache_creation_input_tokens`) as cacheWriteTokens.
 */
export function usageFromAnthropic(usage: Record<string, unknown>): TokenUsage {
  const cacheRead = tokenCount(usage.cache_read_input_tokens);
  const cacheWrite = tokenCount(usage.cache_creation_input_tokens);
  const result: TokenUsage = {
    inputTokens: tokenCount(usage.input_tokens) + cacheRead + cacheWrite,
    outputTokens: tokenCount(usage.output_tokens),
    cachedTokens: cacheRead,
    reasoningTokens: 0,
  };
  setIfPositive(result, 'cacheWriteTokens', cacheWrite);
  return result;
}
