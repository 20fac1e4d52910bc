import { Inject, Injectable } from '@nestjs/common';
import { GovernanceMetrics } from '../governance-metrics';
import { type Budget, BudgetExceeded, type BudgetSubject } from './budget';
import { BudgetBook } from './budget-book';
import { BUDGET_LEDGER, type BudgetCounter, type BudgetLedger, type ReserveResult } from './budget-ledger';
import { periodWindow } from './budget-period';
import { SpendJournal } from './spend-journal';

const GRACE_MS = 86_400_000;

/** What one admitted request holds against its budgets until it settles. */
export interface BudgetHold {
  readonly budgets: readonly Budget[];
  readonly counters: readonly BudgetCounter[];
  readonly periodStarts: readonly number[];
  readonly reservedMicros: number;
}

/** A budget's counter for the period containing `at`. */
export function counterOf(budget: Budget, at: number): { counter: BudgetCounter; startMs: number; endMs: number } {
  const { startMs, endMs } = periodWindow(budget.period, at);
  return { counter: { key: `budget:{${budget.id}}:${startMs}`, limitMicros: budget.amountMicros, ttlMs: endMs - at + GRACE_MS }, startMs, endMs };
}

/**
 * Reserve before the upstream call, settle after it. The reservation is the request's maximum
 * cost, taken atomically from every budget it falls under; the settlement replaces it with the
 * true cost, and a true cost above the reservation is charged in full (the gap is counted).
 */
@Injectable()
export class BudgetsService {
  constructor(
    private readonly book: BudgetBook,
    @Inject(BUDGET_LEDGER) private readonly ledger: BudgetLedger,
    private readonly journal: SpendJournal,
    private readonly metrics: GovernanceMetrics,
  ) {}

  /** True when any budget applies to the subject (checked before a cost is estimated). */
  covers(subject: BudgetSubject): boolean {
    return !this.book.empty && this.book.covering(subject).length > 0;
  }

  /** Null when no budget covers the subject; throws when the ledger cannot answer. */
  async reserve(subject: BudgetSubject, amountMicros: number, at = Date.now()): Promise<BudgetHold | BudgetExceeded | null> {
    if (this.book.empty) return null;
    const budgets = this.book.covering(subject);
    if (budgets.length === 0) return null;
    const periods = budgets.map((budget) => counterOf(budget, at));
    const counters = periods.map((period) => period.counter);
    let result = await this.ledger.reserve(counters, amountMicros);
    if (result.status === 'missing') {
      await this.seed(result, budgets, periods);
      result = await this.ledger.reserve(counters, amountMicros);
    }
    if (result.status === 'exceeded') return new BudgetExceeded(budgets[result.index], result.spentMicros);
    if (result.status === 'missing') throw new Error('budget counters vanished between seed and reserve');
    return { budgets, counters, periodStarts: periods.map((period) => period.startMs), reservedMicros: amountMicros };
  }

  /** Replaces the reservation by the true cost, in the ledger and in the durable journal. */
  async settle(hold: BudgetHold, actualMicros: number): Promise<void> {
    if (actualMicros > hold.reservedMicros) this.metrics.overrun.inc(actualMicros - hold.reservedMicros);
    hold.budgets.forEach((budget, index) => this.journal.add(budget.id, hold.periodStarts[index], actualMicros));
    await this.ledger.adjust(hold.counters, actualMicros - hold.reservedMicros);
  }

  /**
   * Charges a cost that had no reservation, to every budget the subject falls under now: a
   * background run's true cost when it ends (its answer released the reservation). Never refused.
   */
  async charge(subject: BudgetSubject, micros: number, at = Date.now()): Promise<void> {
    if (this.book.empty || micros <= 0) return;
    const budgets = this.book.covering(subject);
    if (budgets.length === 0) return;
    const periods = budgets.map((budget) => counterOf(budget, at));
    budgets.forEach((budget, index) => this.journal.add(budget.id, periods[index].startMs, micros));
    await this.ledger.adjust(
      periods.map((period) => period.counter),
      micros,
    );
  }

  private async seed(result: Extract<ReserveResult, { status: 'missing' }>, budgets: readonly Budget[], periods: ReturnType<typeof counterOf>[]): Promise<void> {
    for (const index of result.indexes) {
      const spent = await this.journal.durableSpend(budgets[index].id, periods[index].startMs);
      await this.ledger.seed(periods[index].counter, spent);
    }
  }
}
