import { costFromRates, maxCostFromRates, ratePerMillion } from './token-rates';

describe('costFromRates', () => {
  const rates = { input: 3_000_000, output: 15_000_000, cachedInput: 300_000, cacheWrite: 3_750_000 };

  it('splits usage into kinds whose parts add up to the total', () => {
    const cost = costFromRates(rates, { inputTokens: 1000, outputTokens: 100, cachedTokens: 500, reasoningTokens: 40, cacheWriteTokens: 200 }, 'price_table');
    expect(cost).toEqual({ input: 900, cachedInput: 150, cacheWrite: 750, output: 900, reasoning: 600, audioInput: 0, audioOutput: 0, total: 3300, source: 'price_table' });
  });

  it('caps over-reported details so no kind goes negative', () => {
    const cost = costFromRates(rates, { inputTokens: 100, outputTokens: 10, cachedTokens: 500, reasoningTokens: 50, cacheWriteTokens: 50 }, 'price_table');
    expect(cost).toMatchObject({ input: 0, cachedInput: 30, cacheWrite: 0, output: 0, reasoning: 150, total: 180 });
  });

  it('bills a missing sub-kind price at its parent rate, and applies a discount to every part', () => {
    const cost = costFromRates({ input: 2_000_000, output: 8_000_000 }, { inputTokens: 1000, outputTokens: 1000, cachedTokens: 400, reasoningTokens: 500 }, 'override', 50);
    expect(cost).toMatchObject({ input: 600, cachedInput: 400, output: 2000, reasoning: 2000, total: 5000 });
  });

  it('rounds each part to whole micro-dollars', () => {
    // gpt-4o-mini input 0.15/Mtok: 7 tokens = 1.05 µ$
    expect(costFromRates({ input: ratePerMillion(0.15), output: 0 }, { inputTokens: 7, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 }, 'price_table').total).toBe(1);
    expect(ratePerMillion(0.075)).toBe(75_000);
  });

  it('bounds a reservation at the dearest output rate', () => {
    expect(maxCostFromRates({ input: 1_000_000, output: 2_000_000, audioOutput: 8_000_000 }, 10, 10)).toBe(90);
  });
});
