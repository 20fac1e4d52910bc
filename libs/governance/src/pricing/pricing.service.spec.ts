import { calcPrice } from '@pydantic/genai-prices';
import type { TokenUsage } from '@app/core';
import { testPricing } from './pricing-test-support';

const usage = (fields: Partial<TokenUsage>): TokenUsage => ({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, ...fields });

describe('PricingService', () => {
  it("agrees with the package's own calcPrice on its README example and across families", async () => {
    const { pricing } = await testPricing();
    // README: 4740 input tokens of which 4735 cache writes, 255 output, claude-sonnet-4-20250514.
    const readme = calcPrice({ input_tokens: 4740, cache_read_tokens: 0, cache_write_tokens: 4735, output_tokens: 255 }, 'claude-sonnet-4-20250514', { providerId: 'anthropic' })!;
    const ours = pricing.costOf({ provider: 'anthropic', model: 'claude-sonnet-4-20250514' }, usage({ inputTokens: 4740, cacheWriteTokens: 4735, outputTokens: 255 }))!;
    expect(ours.total).toBe(Math.round(readme.total_price * 1e6)); // 15 + 17756.25 + 3825 → 21596
    const cases: Array<[string, string, string]> = [
      ['openai', 'openai', 'gpt-4o-mini'],
      ['gemini', 'google', 'gemini-2.5-flash'],
      ['groq', 'groq', 'llama-3.3-70b-versatile'],
      ['bedrock', 'aws', 'amazon.nova-lite-v1:0'],
    ];
    for (const [provider, providerId, model] of cases) {
      const expected = calcPrice({ input_tokens: 12_345, cache_read_tokens: 2000, output_tokens: 678 }, model, { providerId })!.total_price * 1e6;
      const total = pricing.costOf({ provider, model }, usage({ inputTokens: 12_345, cachedTokens: 2000, outputTokens: 678 }))!.total;
      expect(Math.abs(total - expected)).toBeLessThanOrEqual(2);
    }
  });

  it('returns null for an unknown price and counts it for usage records, never a guess', async () => {
    const { pricing, unknown } = await testPricing();
    expect(pricing.costOf({ provider: 'openai', model: 'no-such-model' }, usage({ inputTokens: 10 }))).toBeNull();
    expect(pricing.maxCostMicros({ provider: 'vllm', model: 'llama' }, 10, 10)).toBeNull();
    expect(pricing.recordCost({ provider: 'vllm', model: 'llama' }, usage({ inputTokens: 10 }))).toBeNull();
    expect(unknown).toEqual([['vllm', 'llama']]);
  });

  it('halves batch runs for providers that publish a 50 % batch discount, and not for others', async () => {
    const { pricing } = await testPricing();
    const used = usage({ inputTokens: 2000, cachedTokens: 1024, outputTokens: 500 });
    expect(pricing.costOf({ provider: 'openai', model: 'gpt-4o' }, used, { batch: true })!.total).toBe(4360);
    expect(pricing.costOf({ provider: 'deepseek', model: 'deepseek-chat' }, usage({ inputTokens: 1000 }), { batch: true })!.total).toBe(
      pricing.costOf({ provider: 'deepseek', model: 'deepseek-chat' }, usage({ inputTokens: 1000 }))!.total,
    );
  });

  it('bounds a reservation: input at the input rate, every output token at the output rate', async () => {
    const { pricing } = await testPricing();
    // gpt-4o: 1000 × 2.50 + 4096 × 10.00
    expect(pricing.maxCostMicros({ provider: 'openai', model: 'gpt-4o' }, 1000, 4096)).toBe(2500 + 40_960);
  });

  it('bounds a batch run at the batch price where the provider publishes a discount', async () => {
    const { pricing } = await testPricing();
    expect(pricing.maxCostMicros({ provider: 'openai', model: 'gpt-4o' }, 1000, 4096, { batch: true })).toBe(1250 + 20_480);
    expect(pricing.maxCostMicros({ provider: 'deepseek', model: 'deepseek-chat' }, 1000, 0, { batch: true })).toBe(
      pricing.maxCostMicros({ provider: 'deepseek', model: 'deepseek-chat' }, 1000, 0),
    );
  });

  it('precedence: admin override > YAML pricing > package; instance before type; provider-reported wins over all', async () => {
    const yaml = `
pricing:
  models:
    openai/gpt-4o: { input_mtok: 1, output_mtok: 2 }
    vllm/llama-3-70b: { input_mtok: 0.5, output_mtok: 0.5 }
    azure-prod/prod-4o: { price_as: openai/gpt-4o }
  batch_discount_percent:
    deepseek: 25
`;
    const { pricing, overrides } = await testPricing(yaml);
    const used = usage({ inputTokens: 1000, outputTokens: 1000 });
    expect(pricing.costOf({ provider: 'openai-east', model: 'gpt-4o' }, used)).toMatchObject({ total: 3000, source: 'override' });
    expect(pricing.costOf({ provider: 'vllm', model: 'llama-3-70b' }, used)).toMatchObject({ total: 1000, source: 'override' });
    expect(pricing.costOf({ provider: 'azure-prod', model: 'prod-4o' }, used)).toMatchObject({ total: 12_500, source: 'price_table' });
    expect(pricing.costOf({ provider: 'deepseek', model: 'deepseek-chat' }, usage({ inputTokens: 1_000_000 }), { batch: true })!.total).toBeLessThan(
      pricing.costOf({ provider: 'deepseek', model: 'deepseek-chat' }, usage({ inputTokens: 1_000_000 }))!.total,
    );
    overrides.push({
      provider: 'openai-east',
      model: 'gpt-4o',
      inputPerMtok: 7_000_000,
      outputPerMtok: 0,
      cachedInputPerMtok: null,
      cacheWritePerMtok: null,
      reasoningPerMtok: null,
      audioInputPerMtok: null,
      audioOutputPerMtok: null,
      updatedAt: new Date(),
    });
    await pricing.reloadOverrides();
    expect(pricing.costOf({ provider: 'openai-east', model: 'gpt-4o' }, used)).toMatchObject({ input: 7000, output: 0, total: 7000, source: 'override' });
    expect(pricing.costOf({ provider: 'openai', model: 'gpt-4o' }, used)).toMatchObject({ total: 3000 });
    expect(pricing.costOf({ provider: 'openai-east', model: 'gpt-4o' }, { ...used, reportedCostMicros: 42 })).toMatchObject({ total: 42, source: 'provider_reported' });
  });

  it('keeps its overrides when the database cannot be read', async () => {
    const { pricing, overrides } = await testPricing();
    overrides.push({
      provider: 'vllm',
      model: 'm',
      inputPerMtok: 1_000_000,
      outputPerMtok: 1_000_000,
      cachedInputPerMtok: null,
      cacheWritePerMtok: null,
      reasoningPerMtok: null,
      audioInputPerMtok: null,
      audioOutputPerMtok: null,
      updatedAt: new Date(),
    });
    await pricing.reloadOverrides();
    (pricing as unknown as { overrides: { all: () => Promise<never> } }).overrides.all = () => Promise.reject(new Error('database down'));
    await pricing.reloadOverrides();
    expect(pricing.costOf({ provider: 'vllm', model: 'm' }, usage({ inputTokens: 10 }))!.total).toBe(10);
  });
});
