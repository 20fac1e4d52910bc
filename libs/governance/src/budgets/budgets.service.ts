import { Inject, Injectable } from '@nestjs/common';
import { GovernanceMetrics } from '../governance-metrics';
import { type Budget, BudgetExceeded, type BudgetSubject } from './budget';
import { BudgetBook } from './budget-book';
import { BUDGET_LEDGER, type BudgetCounter, type BudgetLedger, type ReserveResult } from './budget-ledger';
import { periodWindow } from './budget-period';
import { SpendJournal } from './spend-journal';

const GRACE_MS = 86_400_000;

/** The budgets a request falls under now, and their counters for the current periods. */
export interface BudgetPlan {
  readonly budgets: readonly Budget[];
  readonly counters: readonly BudgetCounter[];
  readonly periodStarts: readonly number[];
}

/** What one admitted request holds against its budgets until it settles. */
export interface BudgetHold extends BudgetPlan {
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

  /** The budgets covering the subject at `at`, or null when none does (decided without I/O). */
  plan(subject: BudgetSubject, at = Date.now()): BudgetPlan | null {
    if (this.book.empty) return null;
    const budgets = this.book.covering(subject);
    if (budgets.length === 0) return null;
    const periods = budgets.map((budget) => counterOf(budget, at));
    return { budgets, counters: periods.map((period) => period.counter), periodStarts: periods.map((period) => period.startMs) };
  }

  /** Null when no budget covers the subject; throws when the ledger cannot answer. */
  async reserve(subject: BudgetSubject, amountMicros: number, at = Date.now()): Promise<BudgetHold | BudgetExceeded | null> {
    const plan = this.plan(subject, at);
    if (plan === null) return null;
    let result = await this.ledger.reserve(plan.counters, amountMicros);
    if (result.status === 'missing') {
      await this.seed(plan, result.indexes);
      result = await this.ledger.reserve(plan.counters, amountMicros);
    }
    return this.holdOrRefusal(plan, amountMicros, result);
  }

  /** The hold a reservation's result stands for, or its refusal; throws when counters are still missing after a seed. */
  holdOrRefusal(plan: BudgetPlan, amountMicros: number, result: ReserveResult): BudgetHold | BudgetExceeded {
    if (result.status === 'exceeded') return new BudgetExceeded(plan.budgets[result.index], result.spentMicros);
    if (result.status === 'missing') throw new Error('budget counters vanished between seed and reserve');
    return { ...plan, reservedMicros: amountMicros };
  }

  /** Sets the counters the ledger did not have (a new period, or Redis restarted) to their durable spend. */
  async seed(plan: BudgetPlan, indexes: readonly number[]): Promise<void> {
    for (const index of indexes) {
      const spent = await this.journal.durableSpend(plan.budgets[index].id, plan.periodStarts[index]);
      await this.ledger.seed(plan.counters[index], spent);
    }
  }

  /** Replaces the reservation by the true cost, in the ledger and in the durable journal. */
  async settle(hold: BudgetHold, actualMicros: number): Promise<void> {
    await this.ledger.adjust(hold.counters, this.record(hold, actualMicros));
  }

  /**
   * The durable half of a settlement: journals the true cost and counts an overrun. Returns the
   * correction (actual − reserved) the caller must add to the live counters.
   */
  record(hold: BudgetHold, actualMicros: number): number {
    if (actualMicros > hold.reservedMicros) this.metrics.overrun.inc(actualMicros - hold.reservedMicros);
    hold.budgets.forEach((budget, index) => this.journal.add(budget.id, hold.periodStarts[index], actualMicros));
    return actualMicros - hold.reservedMicros;
  }

  /**
   * Charges a cost that had no reservation, to every budget the subject falls under now: a
   * background run's true cost when it ends (its answer released the reservation). Never refused.
   */
  async charge(subject: BudgetSubject, micros: number, at = Date.now()): Promise<void> {
    const plan = micros > 0 ? this.plan(subject, at) : null;
    if (plan === null) return;
    plan.budgets.forEach((budget, index) => this.journal.add(budget.id, plan.periodStarts[index], micros));
    await this.ledger.adjust(plan.counters, micros);
  }
}
