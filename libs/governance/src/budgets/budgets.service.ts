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

/**
 * A cost charged to budgets ahead of its run and adjusted when the true cost is known (a native
 * batch's estimate): the amount, and the budget and period each part went to.
 */
export interface AdvanceCharge {
  readonly micros: number;
  readonly periods: ReadonlyArray<{ readonly budgetId: string; readonly periodStartMs: number }>;
}

const counterKey = (budgetId: string, periodStartMs: number) => `budget:{${budgetId}}:${periodStartMs}`;

/** A budget's counter for the period containing `at`. */
export function counterOf(budget: Budget, at: number): { counter: BudgetCounter; startMs: number; endMs: number } {
  const { startMs, endMs } = periodWindow(budget.period, at);
  return { counter: { key: counterKey(budget.id, startMs), limitMicros: budget.amountMicros, ttlMs: endMs - at + GRACE_MS }, startMs, endMs };
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

  /**
   * Reserves `micros` like a request's maximum cost (refused when a budget has no room) and
   * charges it at once as spent, in the ledger and in the durable journal. Unlike a hold (a ledger
   * increment only, lost with the counter when Redis or an embedded process restarts, and the
   * counter is re-seeded from the journal), the charge is part of the durable spend, so it holds
   * however long the run takes; adjustAdvance later moves it to the true cost.
   */
  async chargeAhead(subject: BudgetSubject, micros: number, at = Date.now()): Promise<AdvanceCharge | BudgetExceeded | null> {
    const hold = await this.reserve(subject, micros, at);
    if (hold === null || hold instanceof BudgetExceeded) return hold;
    hold.budgets.forEach((budget, index) => this.journal.add(budget.id, hold.periodStarts[index], micros));
    return { micros, periods: hold.budgets.map((budget, index) => ({ budgetId: budget.id, periodStartMs: hold.periodStarts[index] })) };
  }

  /**
   * Adds `deltaMicros` (may be negative) to the very budgets and periods an advance charge went to,
   * even when the period has ended since or the budget changed: the run belongs to the period that
   * reserved it, and its estimate is taken back from where it was put. Never refused.
   */
  async adjustAdvance(charge: AdvanceCharge, deltaMicros: number): Promise<void> {
    if (deltaMicros === 0 || charge.periods.length === 0) return;
    for (const { budgetId, periodStartMs } of charge.periods) this.journal.add(budgetId, periodStartMs, deltaMicros);
    // adjust() reads only the keys (a counter that expired is left alone; the journal is the truth).
    const counters = charge.periods.map(({ budgetId, periodStartMs }) => ({ key: counterKey(budgetId, periodStartMs), limitMicros: 0, ttlMs: 0 }));
    await this.ledger.adjust(counters, deltaMicros);
  }
}
