import type { CostBreakdown, TokenUsage } from '@app/core';

/**
 * One model's prices in integer micro-dollars per million tokens (USD 2.50 / Mtok = 2_500_000),
 * the unit providers publish in, kept integral so no float price is ever stored. A missing
 * sub-kind costs its parent's rate: cache reads, cache writes and audio input the input rate,
 * reasoning and audio output the output rate (as the price package bills them).
 */
export interface TokenRates {
  readonly input: number;
  readonly output: number;
  readonly cachedInput?: number;
  readonly cacheWrite?: number;
  readonly reasoning?: number;
  readonly audioInput?: number;
  readonly audioOutput?: number;
}

/** Where a price came from, in precedence order (see PricingService). */
export type PriceSource = CostBreakdown['source'];

const PER_MILLION = 1_000_000;

function micros(tokens: number, ratePerMillion: number, factor: number): number {
  return tokens > 0 ? Math.round((tokens * ratePerMillion * factor) / PER_MILLION) : 0;
}

/**
 * The cost of `usage` at `rates`, split by kind. The usage follows the gateway's convention
 * (input includes cached, cache-write and audio input; output includes reasoning and audio output),
 * so each kind is carved out of its total, capped so a provider over-reporting a detail cannot
 * make another kind negative. `discountPercent` (batch runs) applies to every part.
 */
export function costFromRates(rates: TokenRates, usage: TokenUsage, source: PriceSource, discountPercent = 0): CostBreakdown {
  const factor = (100 - discountPercent) / 100;
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  const cacheWrite = Math.min(usage.cacheWriteTokens ?? 0, usage.inputTokens - cached);
  const audioIn = Math.min(usage.audioInputTokens ?? 0, usage.inputTokens - cached - cacheWrite);
  const textIn = usage.inputTokens - cached - cacheWrite - audioIn;
  const reasoning = Math.min(usage.reasoningTokens, usage.outputTokens);
  const audioOut = Math.min(usage.audioOutputTokens ?? 0, usage.outputTokens - reasoning);
  const textOut = usage.outputTokens - reasoning - audioOut;
  const input = micros(textIn, rates.input, factor);
  const cachedInput = micros(cached, rates.cachedInput ?? rates.input, factor);
  const cacheWriteCost = micros(cacheWrite, rates.cacheWrite ?? rates.input, factor);
  const output = micros(textOut, rates.output, factor);
  const reasoningCost = micros(reasoning, rates.reasoning ?? rates.output, factor);
  const audioInput = micros(audioIn, rates.audioInput ?? rates.input, factor);
  const audioOutput = micros(audioOut, rates.audioOutput ?? rates.output, factor);
  // One literal, no spread: this runs for every usage record, and a spread copy measured 30× slower.
  return {
    input,
    cachedInput,
    cacheWrite: cacheWriteCost,
    output,
    reasoning: reasoningCost,
    audioInput,
    audioOutput,
    total: input + cachedInput + cacheWriteCost + output + reasoningCost + audioInput + audioOutput,
    source,
  };
}

/** The most `inputTokens` plus `maxOutputTokens` can cost: every output token at the dearest output rate (less `discountPercent`, as costFromRates). */
export function maxCostFromRates(rates: TokenRates, inputTokens: number, maxOutputTokens: number, discountPercent = 0): number {
  const outputRate = Math.max(rates.output, rates.reasoning ?? 0, rates.audioOutput ?? 0);
  const factor = (100 - discountPercent) / 100;
  return micros(Math.max(inputTokens, 0), rates.input, factor) + micros(Math.max(maxOutputTokens, 0), outputRate, factor);
}

/** USD per million tokens (as published) → integer micro-dollars per million tokens. */
export function ratePerMillion(usdPerMillion: number): number {
  return Math.round(usdPerMillion * PER_MILLION);
}
