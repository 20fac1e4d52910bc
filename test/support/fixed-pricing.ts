import { Global, Module } from '@nestjs/common';
import type { CostBreakdown, TokenUsage } from '@app/core';
import { SPEND_PRICING, type SpendPricing } from '@app/governance';

/** A test price table: 1 micro-USD per input token, 2 per output token, for every model. */
const fixedPricing: SpendPricing = {
  maxCostMicros: (_target, input, maxOutput) => input + 2 * maxOutput,
  costOf: (_target, usage: TokenUsage) => ({ total: usage.inputTokens + 2 * usage.outputTokens, source: 'test' }) as unknown as CostBreakdown,
};

/** Binds SPEND_PRICING as the pricing work will in production, with fixed prices. */
@Global()
@Module({ providers: [{ provide: SPEND_PRICING, useValue: fixedPricing }], exports: [SPEND_PRICING] })
export class FixedPricingModule {}
