import type { BudgetCounter, BudgetLedger, ReserveResult } from './budget-ledger';

/** The budget counters in process (embedded mode); same semantics as the Redis scripts. */
export class MemoryBudgetLedger implements BudgetLedger {
  private readonly counters = new Map<string, { value: number; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  reserve(counters: readonly BudgetCounter[], amountMicros: number): Promise<ReserveResult> {
    return Promise.resolve(this.reserveNow(counters, amountMicros));
  }

  /** reserve() without the promise, for a caller that must decide more in the same step (the admission store). */
  reserveNow(counters: readonly BudgetCounter[], amountMicros: number): ReserveResult {
    const values = counters.map((counter) => this.value(counter.key));
    const indexes = values.flatMap((value, index) => (value === null ? [index] : []));
    if (indexes.length > 0) return { status: 'missing', indexes };
    for (let index = 0; index < counters.length; index++) {
      const spent = values[index]!;
      const limit = counters[index].limitMicros;
      if (spent >= limit || spent + amountMicros > limit) return { status: 'exceeded', index, spentMicros: spent };
    }
    for (const counter of counters) this.counters.get(counter.key)!.value += amountMicros;
    return { status: 'reserved' };
  }

  seed(counter: BudgetCounter, spentMicros: number): Promise<void> {
    if (this.value(counter.key) === null) this.counters.set(counter.key, { value: spentMicros, expiresAt: this.now() + counter.ttlMs });
    return Promise.resolve();
  }

  adjust(counters: readonly BudgetCounter[], deltaMicros: number): Promise<void> {
    this.adjustNow(counters, deltaMicros);
    return Promise.resolve();
  }

  adjustNow(counters: readonly BudgetCounter[], deltaMicros: number): void {
    for (const counter of counters) {
      const entry = this.value(counter.key) === null ? undefined : this.counters.get(counter.key);
      if (entry) entry.value += deltaMicros;
    }
  }

  read(keys: readonly string[]): Promise<(number | null)[]> {
    return Promise.resolve(keys.map((key) => this.value(key)));
  }

  clear(counter: BudgetCounter): Promise<void> {
    this.counters.set(counter.key, { value: 0, expiresAt: this.now() + counter.ttlMs });
    return Promise.resolve();
  }

  private value(key: string): number | null {
    const entry = this.counters.get(key);
    if (!entry) return null;
    if (entry.expiresAt > this.now()) return entry.value;
    this.counters.delete(key);
    return null;
  }
}
