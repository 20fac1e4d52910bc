import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type BudgetEntity, BudgetsRepository } from '@app/storage';
import type { Budget, BudgetSubject } from './budget';
import { coveringPaths, normalizeUserPath } from './budget-coverage';
import type { BudgetPeriod, CalendarPeriod } from './budget-period';

export function toBudget(row: BudgetEntity): Budget {
  const period: BudgetPeriod = row.periodSeconds !== null ? { kind: 'seconds', seconds: row.periodSeconds } : { kind: row.period as CalendarPeriod };
  return { id: row.id, keyId: row.keyId, userPath: row.userPath, period, amountMicros: row.amountMicros };
}

/**
 * Every budget definition, held in memory so the request path never reads the database for them.
 * Re-read every BUDGET_REFRESH_INTERVAL (a budget written through another replica applies here
 * within that time) and at once after a write through this replica.
 */
@Injectable()
export class BudgetBook implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BudgetBook.name);
  private byKey = new Map<string, Budget>();
  private byPath = new Map<string, Budget>();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: BudgetsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh().catch((error: unknown) => this.logger.warn(`Budgets could not be read at boot: ${(error as Error).message}`));
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.config.governance.budgetRefreshMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  get empty(): boolean {
    return this.byKey.size === 0 && this.byPath.size === 0;
  }

  /** The budgets a request falls under: its key's, and those of its user path and every ancestor. */
  covering(subject: BudgetSubject): Budget[] {
    const found: Budget[] = [];
    const keyBudget = subject.keyId === null ? undefined : this.byKey.get(subject.keyId);
    if (keyBudget) found.push(keyBudget);
    if (subject.userPath !== null && this.byPath.size > 0) {
      for (const path of coveringPaths(subject.userPath)) {
        const budget = this.byPath.get(path);
        if (budget) found.push(budget);
      }
    }
    return found;
  }

  async refresh(): Promise<void> {
    const rows = await this.repository.all();
    const byKey = new Map<string, Budget>();
    const byPath = new Map<string, Budget>();
    for (const budget of rows.map(toBudget)) {
      if (budget.keyId !== null) byKey.set(budget.keyId, budget);
      else if (budget.userPath !== null) byPath.set(normalizeUserPath(budget.userPath), budget);
    }
    this.byKey = byKey;
    this.byPath = byPath;
  }
}
