import type { BudgetCounter, ReserveResult } from '../budgets/budget-ledger';
import type { LimitAcquire, LimitRelease, LimitVerdict } from '../rate-limits/rate-limit-store';

/** What a request reserves against its budgets: `amountMicros` on every counter. */
export interface BudgetReserve {
  readonly counters: readonly BudgetCounter[];
  readonly amountMicros: number;
}

/** One request's admission: its rate limits and its budgets, either or both. */
export interface GovernanceAdmit {
  readonly limits?: LimitAcquire;
  readonly budget?: BudgetReserve;
}

/**
 * The answer. The request was admitted when `budget` is absent or reserved and `limits` absent or
 * allowed; otherwise nothing was added anywhere. Budgets are checked first: when they refuse (or
 * a counter is missing), `limits` is not reported.
 */
export interface GovernanceVerdict {
  readonly budget?: ReserveResult;
  readonly limits?: LimitVerdict;
}

/** How an admitted request ends: its limit lease released, its budgets corrected by actual − reserved. */
export interface GovernanceSettle {
  readonly limits?: LimitRelease;
  readonly budget?: { readonly counters: readonly BudgetCounter[]; readonly deltaMicros: number };
}

/**
 * Rate limits and budgets of the request path, decided in one atomic step and settled in one: a
 * single Redis script each way (so a governed request costs two round trips, not four), or one
 * synchronous step in process. Counters are the same keys RateLimitStore and BudgetLedger use, so
 * the admin API and the batch workers read and write the same state. Errors are thrown: the
 * policy decides between failing open and closed.
 */
export interface AdmissionStore {
  admit(request: GovernanceAdmit): Promise<GovernanceVerdict>;
  settle(request: GovernanceSettle): Promise<void>;
}

export const ADMISSION_STORE = Symbol('ADMISSION_STORE');
