import type Redis from 'ioredis';
import { redisReady } from '../redis-ready';
import type { BudgetCounter, BudgetLedger, ReserveResult } from './budget-ledger';
import { ADJUST_SCRIPT, RESERVE_SCRIPT } from './budget-scripts';

type ScriptClient = Redis & {
  budgetReserve(...args: (string | number)[]): Promise<number[]>;
  budgetAdjust(...args: (string | number)[]): Promise<number>;
};

/** ARGV of a reservation as BUDGET_FUNCTIONS's checkBudget reads it: the amount, then each counter's limit. */
export function budgetArgs(counters: readonly BudgetCounter[], amountMicros: number): number[] {
  return pushBudgetArgs([], counters, amountMicros);
}

/** Appends a reservation's ARGV to `out`. */
export function pushBudgetArgs<T extends string | number>(out: (T | number)[], counters: readonly BudgetCounter[], amountMicros: number): (T | number)[] {
  out.push(amountMicros);
  for (const counter of counters) out.push(counter.limitMicros);
  return out;
}

/** A reservation's reply (`{1}`, `{2, index…}` or `{3, index, value}`, 1-based) as a ReserveResult. */
export function reserveResultOf(reply: readonly number[]): ReserveResult {
  if (reply[0] === 1) return { status: 'reserved' };
  if (reply[0] === 2) return { status: 'missing', indexes: reply.slice(1).map((index) => index - 1) };
  return { status: 'exceeded', index: reply[1] - 1, spentMicros: reply[2] };
}

/** Budget counters in Redis (integer micro-dollars, one key per budget and period). Errors are thrown: the policy decides open or closed. */
export class RedisBudgetLedger implements BudgetLedger {
  private readonly client: ScriptClient;

  constructor(client: Redis) {
    client.defineCommand('budgetReserve', { lua: RESERVE_SCRIPT });
    client.defineCommand('budgetAdjust', { lua: ADJUST_SCRIPT });
    this.client = client as ScriptClient;
  }

  async reserve(counters: readonly BudgetCounter[], amountMicros: number): Promise<ReserveResult> {
    const keys = counters.map((counter) => counter.key);
    return reserveResultOf(await this.client.budgetReserve(keys.length, ...keys, ...budgetArgs(counters, amountMicros)));
  }

  async seed(counter: BudgetCounter, spentMicros: number): Promise<void> {
    await this.client.set(counter.key, spentMicros, 'PX', counter.ttlMs, 'NX');
  }

  async adjust(counters: readonly BudgetCounter[], deltaMicros: number): Promise<void> {
    if (deltaMicros === 0 || counters.length === 0) return;
    await this.client.budgetAdjust(counters.length, ...counters.map((counter) => counter.key), deltaMicros);
  }

  async read(keys: readonly string[]): Promise<(number | null)[]> {
    if (keys.length === 0) return [];
    const values = await this.client.mget(...keys);
    return values.map((value) => (value === null ? null : Number(value)));
  }

  async clear(counter: BudgetCounter): Promise<void> {
    await this.client.set(counter.key, 0, 'PX', counter.ttlMs);
  }

  /** Waits (bounded) for the connection, so the first requests after boot find it up. */
  ready(): Promise<void> {
    return redisReady(this.client);
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
