import { Inject, Injectable } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { type BudgetSelector, BudgetsRepository } from '@app/storage';
import type { Budget } from './budget';
import { BudgetBook, toBudget } from './budget-book';
import { BUDGET_LEDGER, type BudgetLedger } from './budget-ledger';
import type { CalendarPeriod } from './budget-period';
import { counterOf } from './budgets.service';
import { SpendJournal } from './spend-journal';

/** A budget with its current period's spend (reserved in-flight amounts included). */
export interface BudgetView {
  readonly budget: Budget;
  readonly spentMicros: number;
  readonly remainingMicros: number;
  readonly periodStart: Date;
  readonly periodEnd: Date;
}

export interface BudgetDefinition extends BudgetSelector {
  readonly period?: CalendarPeriod;
  readonly periodSeconds?: number;
  readonly amountMicros: number;
}

/** The control plane of budgets: list with spend, upsert, delete, reset the current period. */
@Injectable()
export class BudgetsAdminService {
  constructor(
    private readonly repository: BudgetsRepository,
    private readonly book: BudgetBook,
    @Inject(BUDGET_LEDGER) private readonly ledger: BudgetLedger,
    private readonly journal: SpendJournal,
  ) {}

  async list(limit: number, after?: string): Promise<{ views: BudgetView[]; hasMore: boolean }> {
    const rows = await this.repository.page(limit + 1, after);
    const views = await Promise.all(rows.slice(0, limit).map((row) => this.view(toBudget(row))));
    return { views, hasMore: rows.length > limit };
  }

  async upsert(definition: BudgetDefinition): Promise<BudgetView> {
    const row = await this.repository.upsert({
      keyId: definition.keyId,
      userPath: definition.userPath,
      period: definition.periodSeconds === undefined ? (definition.period ?? null) : null,
      periodSeconds: definition.periodSeconds ?? null,
      amountMicros: definition.amountMicros,
    });
    await this.book.refresh();
    return this.view(toBudget(row));
  }

  async remove(selector: BudgetSelector): Promise<Budget> {
    const row = await this.repository.remove(selector);
    if (!row) throw notFound(selector);
    await this.book.refresh();
    return toBudget(row);
  }

  /** Forgets the current period's spend (counter and durable rows). */
  async reset(selector: BudgetSelector): Promise<BudgetView> {
    const row = await this.repository.find(selector);
    if (!row) throw notFound(selector);
    const budget = toBudget(row);
    const { counter, startMs } = counterOf(budget, Date.now());
    await this.repository.resetSpend(budget.id, startMs);
    this.journal.drop(budget.id, startMs);
    await this.ledger.clear(counter);
    return this.view(budget);
  }

  private async view(budget: Budget): Promise<BudgetView> {
    const { counter, startMs, endMs } = counterOf(budget, Date.now());
    const [live] = await this.ledger.read([counter.key]).catch(() => [null]);
    const spentMicros = live ?? (await this.journal.durableSpend(budget.id, startMs));
    return { budget, spentMicros, remainingMicros: Math.max(0, budget.amountMicros - spentMicros), periodStart: new Date(startMs), periodEnd: new Date(endMs) };
  }
}

function notFound(selector: BudgetSelector): GatewayError {
  const what = selector.keyId !== undefined ? `key '${selector.keyId}'` : `user path '${selector.userPath}'`;
  return new GatewayError('not_found', `No budget is set on ${what}.`, { param: selector.keyId !== undefined ? 'key_id' : 'user_path' });
}
