import { tokenCount, usageFromAnthropic, usageFromOpenAI } from './token-usage';

describe('usage readers', () => {
  it('reads OpenAI chat and Responses usage, details included', () => {
    expect(usageFromOpenAI({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } })).toEqual({
      inputTokens: 10,
      outputTokens: 5,
      cachedTokens: 4,
      reasoningTokens: 2,
    });
    expect(usageFromOpenAI({ input_tokens: 7, output_tokens: 3, input_tokens_details: { cached_tokens: 1 } })).toMatchObject({ inputTokens: 7, outputTokens: 3, cachedTokens: 1 });
    expect(usageFromOpenAI(null)).toBeUndefined();
  });

  it('counts all Anthropic input (uncached + cache reads + cache writes), cache reads as cached', () => {
    expect(usageFromAnthropic({ input_tokens: 3, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 9 })).toEqual({
      inputTokens: 123,
      outputTokens: 9,
      cachedTokens: 100,
      reasoningTokens: 0,
      cacheWriteTokens: 20,
    });
  });

  it('treats malformed counts as 0', () => {
    expect([tokenCount(-1), tokenCount('5'), tokenCount(Number.NaN), tokenCount(2.7)]).toEqual([0, 0, 0, 2]);
  });
});

describe('usage readers: the fields pricing needs', () => {
  it('reads OpenAI audio token details, input and output', () => {
    const usage = usageFromOpenAI({
      prompt_tokens: 120,
      completion_tokens: 80,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 60 },
    });
    expect(usage).toMatchObject({ inputTokens: 120, outputTokens: 80, audioInputTokens: 100, audioOutputTokens: 60 });
  });

  it("reads DeepSeek's prompt_cache_hit_tokens as cached", () => {
    expect(usageFromOpenAI({ prompt_tokens: 100, completion_tokens: 5, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 })).toMatchObject({ cachedTokens: 64 });
  });

  it("reads OpenRouter's cost in USD and xAI's cost ticks (10^10 per USD) as micro-dollars", () => {
    expect(usageFromOpenAI({ prompt_tokens: 10, completion_tokens: 5, cost: 0.0001234 })?.reportedCostMicros).toBe(123);
    expect(usageFromOpenAI({ prompt_tokens: 10, completion_tokens: 5, cost_in_usd_ticks: 37_756_000 })?.reportedCostMicros).toBe(3776);
    expect(usageFromOpenAI({ prompt_tokens: 10, completion_tokens: 5, cost: 'free' })?.reportedCostMicros).toBeUndefined();
  });

  it('reads cache writes the gateway carries in canonical usage', () => {
    expect(usageFromOpenAI({ prompt_tokens: 30, completion_tokens: 1, cache_creation_input_tokens: 20 })?.cacheWriteTokens).toBe(20);
  });
});
