import type { BudgetPeriod } from './budget-period';

/** A budget as the gateway enforces it. */
export interface Budget {
  readonly id: string;
  readonly keyId: string | null;
  readonly userPath: string | null;
  readonly period: BudgetPeriod;
  readonly amountMicros: number;
}

/** Who a request is charged to: its key and its user path. */
export interface BudgetSubject {
  readonly keyId: string | null;
  readonly userPath: string | null;
}

/** The budget a refused request would have overrun. */
export class BudgetExceeded {
  constructor(
    readonly budget: Budget,
    readonly spentMicros: number,
  ) {}

  /** Names the budget by its selector, never by anything secret. */
  get description(): string {
    return this.budget.keyId !== null ? `key '${this.budget.keyId}'` : `user path '${this.budget.userPath}'`;
  }

  /** The refusal's message, as every route that enforces budgets words it. */
  get message(): string {
    return `Budget exceeded for ${this.description}: ${this.spentMicros} of ${this.budget.amountMicros} micro-USD spent or reserved this period.`;
  }
}
