import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { anthropicErrorBody } from '@app/core';
import { BudgetExceeded, type BudgetHold, BudgetsService, type PricedTarget, SPEND_PRICING, type SpendPricing } from '@app/governance';
import { RouterService } from '@app/providers';
import type { ClaimedBatchItem, StoredBatch } from '@app/storage';
import { itemMaxCostMicros } from '../item-cost';
import type { ItemRun } from './item-outcome';

/** What an item holds against its batch owner's budgets while it runs. */
export type ItemHold = BudgetHold | null;

/** The verdict before an item runs: run it (holding `hold`), or answer it without an upstream call. */
export type ItemAdmission = { readonly run: true; readonly hold: ItemHold } | { readonly run: false; readonly answer: ItemRun };

/**
 * Budgets for emulated batch items, as the gateway's admission does for a request: each item
 * reserves its maximum cost (input counted locally, plus its own output bound or the configured
 * default) from every budget its batch's key and user path fall under before it runs, and settles
 * to its true (batch-priced) cost when its outcome is recorded. An item no budget has room for is
 * answered 429 `budget_exceeded` and goes to the error file; while the ledger cannot answer, it is
 * retried later (BUDGET_REDIS_FAILURE=closed) or runs unchecked (open).
 */
@Injectable()
export class ItemBudget {
  private readonly logger = new Logger(ItemBudget.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Absent where no BudgetsModule or pricing is loaded (unit tests): items run unchecked.
    @Optional() private readonly budgets?: BudgetsService,
    @Optional() @Inject(SPEND_PRICING) private readonly pricing?: SpendPricing,
    @Optional() private readonly router?: RouterService,
  ) {}

  async admit(batch: StoredBatch, item: ClaimedBatchItem): Promise<ItemAdmission> {
    const subject = { keyId: batch.keyId, userPath: batch.userPath };
    if (!this.budgets?.covers(subject)) return { run: true, hold: null };
    let verdict: BudgetHold | BudgetExceeded | null;
    try {
      verdict = await this.budgets.reserve(subject, await this.maxCost(batch, item));
    } catch (error) {
      this.logger.warn({ msg: 'budget ledger unavailable for a batch item', batchId: batch.id, err: (error as Error).message });
      if (this.config.governance.budgetRedisFailure === 'open') return { run: true, hold: null };
      return { run: false, answer: { kind: 'retry', delayMs: 5_000, rateLimited: false, code: 'budget_unavailable', message: 'Budgets cannot be checked right now.' } };
    }
    if (!(verdict instanceof BudgetExceeded)) return { run: true, hold: verdict };
    // In the envelope of the line's dialect, as the foreground route would refuse it.
    const body =
      batch.endpoint === '/v1/messages'
        ? anthropicErrorBody('rate_limit_error', verdict.message)
        : { error: { message: verdict.message, type: 'rate_limit_error', param: null, code: 'budget_exceeded' } };
    return { run: false, answer: { kind: 'answered', statusCode: 429, body, provider: null, model: null } };
  }

  /** Replaces the reservation by the item's true cost (0 when it is not billed: retried, or recorded by another worker). */
  settle(hold: ItemHold, costMicros: number): void {
    if (hold === null || !this.budgets) return;
    this.budgets.settle(hold, costMicros).catch((error: unknown) => {
      this.logger.warn({ msg: 'a batch item could not be settled against its budgets', err: (error as Error).message });
    });
  }

  // At the full price, though the item settles at the batch price: the bound stays conservative.
  private async maxCost(batch: StoredBatch, item: ClaimedBatchItem): Promise<number> {
    if (!this.pricing) return 0;
    return itemMaxCostMicros(this.pricing, batch.endpoint, this.pricedTarget(item), item.request, this.config.governance.defaultMaxOutputTokens);
  }

  /**
   * The item's first target as routing resolves its model now, as the executor will (an alias is
   * priced as the model it serves, not as an unknown name that reserves nothing); the stored
   * provider and selector when the model no longer resolves (the run then fails without a cost).
   */
  private pricedTarget(item: ClaimedBatchItem): PricedTarget {
    const selector = String(item.request.model);
    try {
      const first = this.router?.plan(selector).targets[0];
      if (first) return { provider: first.provider.name, model: first.model };
    } catch {
      // Unknown now: priced as stored.
    }
    return { provider: item.provider, model: selector };
  }
}
