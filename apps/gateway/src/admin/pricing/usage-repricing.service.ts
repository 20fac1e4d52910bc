import { Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { PricingService } from '@app/governance';
import { type RepricedRow, type RepricingCursor, UsageRepricingRepository } from '@app/storage';
import type { PricingRecalculationDto } from './dto/recalculate-pricing.dto';

/** Rows read and rewritten per transaction: bounded memory and short locks whatever the range. */
export const REPRICING_BATCH_SIZE = 500;

/** Recomputes the stored cost of usage records from today's price table (after an override or a price fix). */
@Injectable()
export class UsageRepricingService {
  constructor(
    private readonly repository: UsageRepricingRepository,
    private readonly pricing: PricingService,
  ) {}

  async recalculate(startText: string, endText: string): Promise<PricingRecalculationDto> {
    const start = new Date(startText);
    const end = new Date(endText);
    if (!(end > start)) throw GatewayError.invalidRequest("Invalid 'end': must be after 'start'.", 'end');
    // Overrides set on another replica in the last refresh interval count too.
    await this.pricing.reloadOverrides();
    const counts = { rows_scanned: 0, rows_updated: 0, rows_without_price: 0, rows_provider_reported: 0 };
    let cursor: RepricingCursor | undefined;
    for (;;) {
      const rows = await this.repository.page(start, end, REPRICING_BATCH_SIZE, cursor);
      if (rows.length === 0) break;
      counts.rows_scanned += rows.length;
      // The provider's own figure is what was billed: no price table improves on it.
      const repriced = rows.filter((row) => row.costSource !== 'provider_reported');
      counts.rows_provider_reported += rows.length - repriced.length;
      const costs = repriced.map((row) => ({ id: row.id, cost: this.costOf(row) }));
      await this.repository.updateCosts(costs);
      counts.rows_updated += costs.length;
      counts.rows_without_price += costs.filter((entry) => entry.cost === null).length;
      const last = rows[rows.length - 1];
      cursor = { createdAt: last.createdAt, id: last.id };
      if (rows.length < REPRICING_BATCH_SIZE) break;
    }
    return { object: 'usage.pricing_recalculation', start: start.toISOString(), end: end.toISOString(), ...counts };
  }

  private costOf(row: RepricedRow) {
    if (!row.provider || !row.model) return null;
    const usage = {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cachedTokens: row.cachedTokens,
      reasoningTokens: row.reasoningTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      audioInputTokens: row.audioInputTokens,
      audioOutputTokens: row.audioOutputTokens,
    };
    return this.pricing.costAt({ provider: row.provider, model: row.model }, usage, row.createdAt);
  }
}
