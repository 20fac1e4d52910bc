import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { type AdvanceCharge, BudgetExceeded, BudgetsService, SPEND_PRICING, type SpendPricing } from '@app/governance';
import { type BatchBudgetCharge, BatchesRepository, type NewBatchItem, type StoredBatch } from '@app/storage';
import type { FileOwner } from '../../files/file-store';
import { itemMaxCostMicros } from '../item-cost';

/**
 * Budgets for native batches, which the provider runs in one piece: the whole batch is reserved
 * at create, at its maximum cost (each line bounded as the foreground path bounds a request, at
 * batch prices), and a batch no budget has room for is refused with the foreground's 429.
 *
 * The reservation is not a ledger hold: holds are plain increments of the live counters, which
 * are rebuilt from the durable journal when Redis (or an embedded process) restarts, and a native
 * batch may run for 24 h. So the estimate is charged as spent at create (ledger and journal,
 * BudgetsService.chargeAhead) and recorded on the batch row; each chunk of results charges its
 * true cost to the same budgets and periods, and once the results are home (or the batch failed)
 * the estimate is taken back, by whichever replica takes the row's charge first
 * (BatchesRepository.takeBudgetCharge), so it is released exactly once. Spend then equals the true
 * cost. While results are being recorded the budget counts both, erring on the side of refusing.
 */
@Injectable()
export class NativeBatchBudget {
  private readonly logger = new Logger(NativeBatchBudget.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly batches: BatchesRepository,
    // Absent where no BudgetsModule or pricing is loaded (unit tests): batches run unchecked.
    @Optional() private readonly budgets?: BudgetsService,
    @Optional() @Inject(SPEND_PRICING) private readonly pricing?: SpendPricing,
  ) {}

  /** Charges the batch's estimate ahead; throws the 429 (or 503 while the ledger cannot answer, BUDGET_REDIS_FAILURE=closed). */
  async reserve(owner: FileOwner, endpoint: string, items: readonly NewBatchItem[]): Promise<BatchBudgetCharge | null> {
    if (!this.budgets?.covers(owner)) return null;
    let verdict: AdvanceCharge | BudgetExceeded | null;
    try {
      verdict = await this.budgets.chargeAhead(owner, await this.estimate(endpoint, items));
    } catch (error) {
      this.logger.warn({ msg: 'budget ledger unavailable for a native batch', err: (error as Error).message });
      if (this.config.governance.budgetRedisFailure === 'open') return null;
      throw new GatewayError('unavailable', 'Budgets cannot be checked right now; try again shortly.', { status: 503, code: 'budget_unavailable' });
    }
    if (verdict instanceof BudgetExceeded) throw new GatewayError('rate_limited', verdict.message, { status: 429, code: 'budget_exceeded' });
    return verdict;
  }

  /** A chunk of results' true cost: to the budgets the estimate went to, or (nothing charged ahead) to those covering the owner now. */
  async chargeResults(batch: StoredBatch, micros: number): Promise<void> {
    if (micros <= 0 || !this.budgets) return;
    const subject = { keyId: batch.keyId, userPath: batch.userPath };
    const charging = batch.budgetCharge ? this.budgets.adjustAdvance(batch.budgetCharge, micros) : this.budgets.charge(subject, micros);
    await charging.catch((error: unknown) => {
      this.logger.warn({ msg: 'a native batch chunk could not be charged to its budgets', batchId: batch.id, err: (error as Error).message });
    });
  }

  /** Takes back the estimate of a batch whose results are all home, or that will have none (failed, refused). */
  async release(batchId: string): Promise<void> {
    const charge = await this.batches.takeBudgetCharge(batchId);
    if (charge) await this.releaseCharge(charge, batchId);
  }

  /** Takes back an estimate that was never stored on a row (the provider refused the batch). */
  async releaseCharge(charge: BatchBudgetCharge, batchId: string): Promise<void> {
    await this.budgets?.adjustAdvance(charge, -charge.micros).catch((error: unknown) => {
      this.logger.warn({ msg: 'a native batch estimate could not be released from its budgets', batchId, err: (error as Error).message });
    });
  }

  private async estimate(endpoint: string, items: readonly NewBatchItem[]): Promise<number> {
    if (!this.pricing) return 0;
    let total = 0;
    for (const item of items) {
      const target = { provider: item.provider, model: String(item.request.model) };
      total += await itemMaxCostMicros(this.pricing, endpoint, target, item.request, this.config.governance.defaultMaxOutputTokens, { batch: true });
    }
    return total;
  }
}
