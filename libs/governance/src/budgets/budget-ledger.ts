/** One budget's counter for one period: what the ledger reserves against. */
export interface BudgetCounter {
  /** e.g. `budget:bud_123:1796169600000` (budget id and period start). */
  readonly key: string;
  readonly limitMicros: number;
  /** How long the counter is kept (the period's end plus a grace day). */
  readonly ttlMs: number;
}

export type ReserveResult =
  | { readonly status: 'reserved' }
  /** The counter at `index` has no room: `spentMicros` is already reserved or spent there. */
  | { readonly status: 'exceeded'; readonly index: number; readonly spentMicros: number }
  /** These counters are not in the store (new period, or the store restarted): seed them first. */
  | { readonly status: 'missing'; readonly indexes: readonly number[] };

/**
 * The live budget counters, shared by every replica (Redis) or in process (embedded). A
 * reservation is all-or-nothing across every budget a request falls under, in one atomic step.
 */
export interface BudgetLedger {
  reserve(counters: readonly BudgetCounter[], amountMicros: number): Promise<ReserveResult>;
  /** Sets a missing counter to `spentMicros` (the durable spend); a counter that exists is left as is. */
  seed(counter: BudgetCounter, spentMicros: number): Promise<void>;
  /** Adds `deltaMicros` (actual − reserved; may be negative, never refused: an overrun is charged in full). */
  adjust(counters: readonly BudgetCounter[], deltaMicros: number): Promise<void>;
  /** Current values (null where missing). */
  read(keys: readonly string[]): Promise<(number | null)[]>;
  /** Sets the counter to 0 (admin reset). */
  clear(counter: BudgetCounter): Promise<void>;
}

export const BUDGET_LEDGER = Symbol('BUDGET_LEDGER');
