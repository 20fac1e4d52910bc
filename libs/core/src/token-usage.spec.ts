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
    });
  });

  it('treats malformed counts as 0', () => {
    expect([tokenCount(-1), tokenCount('5'), tokenCount(Number.NaN), tokenCount(2.7)]).toEqual([0, 0, 0, 2]);
  });
});
