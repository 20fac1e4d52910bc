import { usageFromAnthropic, usageFromOpenAI } from '@app/core';
import { usageFromConverse, usageFromGemini } from '@app/providers';
import type { PricingService } from './pricing.service';
import { testPricing } from './pricing-test-support';

// One test per provider family: a usage object shaped as that provider sends it, read by the
// gateway's own reader, priced, and compared with a hand calculation from the package's prices
// (USD per million tokens = micro-dollars per token). These pin the dialect differences that
// peers have billed wrong: what "input" includes, where cache reads and writes hide, what a
// provider-reported cost means.
describe('cost per provider family', () => {
  let pricing: PricingService;
  beforeAll(async () => ({ pricing } = await testPricing()));

  it('OpenAI: prompt_tokens include the cached tokens, billed at the cache-read rate', () => {
    // gpt-4o: input 2.50, cache read 1.25, output 10.00
    const usage = usageFromOpenAI({
      prompt_tokens: 2000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 1024 },
      completion_tokens_details: { reasoning_tokens: 0 },
    })!;
    expect(pricing.costOf({ provider: 'openai-east', model: 'gpt-4o-2024-08-06' }, usage)).toEqual({
      input: 976 * 2.5, // 2440
      cachedInput: 1024 * 1.25, // 1280
      cacheWrite: 0,
      output: 500 * 10, // 5000
      reasoning: 0,
      audioInput: 0,
      audioOutput: 0,
      total: 8720,
      source: 'price_table',
    });
  });

  it('OpenAI: reasoning tokens are part of completion_tokens, at the output rate', () => {
    // o4-mini: input 1.10, output 4.40
    const usage = usageFromOpenAI({ prompt_tokens: 100, completion_tokens: 1000, completion_tokens_details: { reasoning_tokens: 800 } })!;
    expect(pricing.costOf({ provider: 'openai', model: 'o4-mini' }, usage)).toMatchObject({ input: 110, output: 880, reasoning: 3520, total: 4510 });
  });

  it('OpenAI: audio tokens are parts of prompt and completion tokens, at the audio rates', () => {
    // gpt-audio: text in 2.50, audio in 32.00, text out 10.00, audio out 64.00
    const usage = usageFromOpenAI({
      prompt_tokens: 1100,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 1000 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 250 },
    })!;
    expect(pricing.costOf({ provider: 'openai', model: 'gpt-audio' }, usage)).toMatchObject({ input: 250, audioInput: 32_000, output: 500, audioOutput: 16_000, total: 48_750 });
  });

  it('Anthropic: input_tokens exclude cache reads and writes, each billed at its own rate', () => {
    // claude-sonnet-4: input 3.00, cache write 3.75, cache read 0.30, output 15.00
    const usage = usageFromAnthropic({ input_tokens: 50, cache_creation_input_tokens: 2000, cache_read_input_tokens: 10_000, output_tokens: 400 });
    expect(usage.inputTokens).toBe(12_050);
    expect(pricing.costOf({ provider: 'anthropic', model: 'claude-sonnet-4-20250514' }, usage)).toEqual({
      input: 150,
      cachedInput: 3000,
      cacheWrite: 7500,
      output: 6000,
      reasoning: 0,
      audioInput: 0,
      audioOutput: 0,
      total: 16_650,
      source: 'price_table',
    });
  });

  it('Gemini: promptTokenCount includes cached content; thoughts are output', () => {
    // gemini-2.5-flash: input 0.30, cache read 0.03, output 2.50
    const usage = usageFromOpenAI(
      usageFromGemini({ promptTokenCount: 1000, cachedContentTokenCount: 600, candidatesTokenCount: 200, thoughtsTokenCount: 300, totalTokenCount: 1500 }),
    )!;
    expect(pricing.costOf({ provider: 'gemini', model: 'gemini-2.5-flash' }, usage)).toMatchObject({ input: 120, cachedInput: 18, output: 500, reasoning: 750, total: 1388 });
  });

  it('Gemini: a prompt above 200k tokens is billed at the upper tier, all of it', () => {
    // gemini-2.5-pro: input 1.25 / 2.50 above 200k, output 10 / 15 above 200k (by prompt size)
    const usage = usageFromOpenAI(usageFromGemini({ promptTokenCount: 250_000, candidatesTokenCount: 1000 }))!;
    expect(pricing.costOf({ provider: 'gemini', model: 'gemini-2.5-pro' }, usage)).toMatchObject({ input: 625_000, output: 15_000, total: 640_000 });
    const small = usageFromOpenAI(usageFromGemini({ promptTokenCount: 1000, candidatesTokenCount: 1000 }))!;
    expect(pricing.costOf({ provider: 'gemini', model: 'gemini-2.5-pro' }, small)).toMatchObject({ input: 1250, output: 10_000 });
  });

  it('Bedrock: Converse counts cache reads and writes apart from inputTokens; cross-region ids price as the model', () => {
    // Claude Sonnet 4 on Bedrock: input 3.00, cache write 3.75, cache read 0.30, output 15.00
    const usage = usageFromOpenAI(usageFromConverse({ inputTokens: 100, outputTokens: 50, totalTokens: 1350, cacheReadInputTokens: 1000, cacheWriteInputTokens: 200 }))!;
    expect(pricing.costOf({ provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0' }, usage)).toMatchObject({
      input: 300,
      cachedInput: 300,
      cacheWrite: 750,
      output: 750,
      total: 2100,
    });
  });

  it('OpenRouter: usage.cost (USD) is what was billed and wins; the parts still come from the table', () => {
    // openai/gpt-4o on OpenRouter: input 2.50, output 10.00
    const usage = usageFromOpenAI({ prompt_tokens: 1000, completion_tokens: 200, cost: 0.00123 })!;
    expect(pricing.costOf({ provider: 'openrouter', model: 'openai/gpt-4o' }, usage)).toMatchObject({ input: 2500, output: 2000, total: 1230, source: 'provider_reported' });
  });

  it('xAI: cost_in_usd_ticks (10^10 per USD) wins over the table', () => {
    // grok-3: input 3.00, cache read 0.75, output 15.00
    const usage = usageFromOpenAI({ prompt_tokens: 1000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 200 }, cost_in_usd_ticks: 45_000_000 })!;
    expect(pricing.costOf({ provider: 'xai', model: 'grok-3' }, usage)).toMatchObject({ input: 2400, cachedInput: 150, output: 1500, total: 4500, source: 'provider_reported' });
    const untold = usageFromOpenAI({ prompt_tokens: 1000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 200 } })!;
    expect(pricing.costOf({ provider: 'xai', model: 'grok-3' }, untold)).toMatchObject({ total: 4050, source: 'price_table' });
  });

  it('DeepSeek: prompt_cache_hit_tokens are cached; off-peak hours (16:30–00:30 UTC) cost half', () => {
    // deepseek-chat: peak input 0.27, cache hit 0.07, output 1.10; off-peak 0.135, 0.035, 0.55
    const usage = usageFromOpenAI({ prompt_tokens: 1000, completion_tokens: 200, prompt_cache_hit_tokens: 600, prompt_cache_miss_tokens: 400 })!;
    const target = { provider: 'deepseek', model: 'deepseek-chat' };
    expect(pricing.costAt(target, usage, new Date('2026-12-01T12:00:00Z'))).toMatchObject({ input: 108, cachedInput: 42, output: 220, total: 370 });
    expect(pricing.costAt(target, usage, new Date('2026-12-01T20:00:00Z'))).toMatchObject({ input: 54, cachedInput: 21, output: 110, total: 185 });
  });

  it('Azure: a deployment named like the model prices through the package fallback to OpenAI', () => {
    const usage = usageFromOpenAI({ prompt_tokens: 1000, completion_tokens: 100 })!;
    expect(pricing.costOf({ provider: 'azure-prod', model: 'gpt-4o' }, usage)).toMatchObject({ total: 3500 });
  });
});
