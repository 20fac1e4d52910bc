import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { BudgetsRepository } from '@app/storage';

const key = (budgetId: string, periodStartMs: number) => `${budgetId}\u0000${periodStartMs}`;

/**
 * The durable side of budget spend: settled amounts are summed in memory and added to
 * `budget_spend` every BUDGET_SPEND_FLUSH_INTERVAL (one upsert per budget and period), never
 * awaited by a request. When Redis loses a counter, it is seeded from this table plus what is
 * still pending here. A failed flush keeps its amounts for the next one.
 */
@Injectable()
export class SpendJournal implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SpendJournal.name);
  private pending = new Map<string, { budgetId: string; periodStartMs: number; micros: number }>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: BudgetsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.governance.spendFlushMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  add(budgetId: string, periodStartMs: number, micros: number): void {
    if (micros === 0) return;
    const entry = this.pending.get(key(budgetId, periodStartMs));
    if (entry) entry.micros += micros;
    else this.pending.set(key(budgetId, periodStartMs), { budgetId, periodStartMs, micros });
  }

  /** Spend of a period not yet written to the table. */
  pendingFor(budgetId: string, periodStartMs: number): number {
    return this.pending.get(key(budgetId, periodStartMs))?.micros ?? 0;
  }

  drop(budgetId: string, periodStartMs: number): void {
    this.pending.delete(key(budgetId, periodStartMs));
  }

  /** Durable spend of a period: the table plus what is pending here. */
  async durableSpend(budgetId: string, periodStartMs: number): Promise<number> {
    return (await this.repository.spent(budgetId, periodStartMs)) + this.pendingFor(budgetId, periodStartMs);
  }

  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.repository.addSpend(batch.map(({ budgetId, periodStartMs, micros }) => ({ budgetId, periodStartMs, micros })));
    } catch (error) {
      for (const entry of batch) this.add(entry.budgetId, entry.periodStartMs, entry.micros);
      this.logger.warn(`Budget spend could not be written, kept for the next flush: ${(error as Error).message}`);
    }
  }
}
