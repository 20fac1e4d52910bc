import type { AppConfig } from '@app/config';
import type { BudgetsRepository } from '@app/storage';
import type { GovernanceMetrics } from '../governance-metrics';
import { BudgetExceeded } from './budget';
import { BudgetBook } from './budget-book';
import { BudgetsService } from './budgets.service';
import { MemoryBudgetLedger } from './memory-budget.ledger';
import { SpendJournal } from './spend-journal';

const config = { governance: { budgetRefreshMs: 60_000, spendFlushMs: 60_000 } } as unknown as AppConfig;
const subject = { keyId: 'key_1', userPath: null };
const DAY = 86_400_000;

/** One key budget of 1000 µ$ a day over an in-memory budget_spend table; `restart` is a new process (empty ledger) on the same table. */
async function setup() {
  const table = new Map<number, number>();
  const repository = {
    all: () => Promise.resolve([{ id: 'bud_1', keyId: 'key_1', userPath: null, period: 'daily', periodSeconds: null, amountMicros: 1_000 }]),
    spent: (_id: string, periodStartMs: number) => Promise.resolve(table.get(periodStartMs) ?? 0),
    addSpend: (deltas: Array<{ periodStartMs: number; micros: number }>) => {
      for (const delta of deltas) table.set(delta.periodStartMs, (table.get(delta.periodStartMs) ?? 0) + delta.micros);
      return Promise.resolve();
    },
  } as unknown as BudgetsRepository;
  const metrics = { overrun: { inc: jest.fn() } } as unknown as GovernanceMetrics;
  const boot = async () => {
    const book = new BudgetBook(config, repository);
    await book.refresh();
    const journal = new SpendJournal(config, repository);
    const ledger = new MemoryBudgetLedger();
    return { budgets: new BudgetsService(book, ledger, journal, metrics), journal, ledger };
  };
  return { table, boot };
}

/** What the live counter of the period containing `at` holds (seeding it from the table, as any reservation would). */
async function live(budgets: BudgetsService, at = Date.now()): Promise<number> {
  const probe = await budgets.reserve(subject, 0, at);
  if (probe instanceof BudgetExceeded) return probe.spentMicros;
  const ledger = (budgets as unknown as { ledger: MemoryBudgetLedger }).ledger;
  return (await ledger.read(probe!.counters.map((counter) => counter.key)))[0]!;
}

describe('BudgetsService advance charges (native batches)', () => {
  it('charges an estimate that fits as spent, in the ledger and the durable journal; refuses one that does not', async () => {
    const { table, boot } = await setup();
    const { budgets, journal } = await boot();
    expect(await budgets.chargeAhead(subject, 1_200)).toBeInstanceOf(BudgetExceeded);
    const charge = await budgets.chargeAhead(subject, 800);
    expect(charge).toEqual({ micros: 800, periods: [{ budgetId: 'bud_1', periodStartMs: Math.floor(Date.now() / DAY) * DAY }] });
    expect(await live(budgets)).toBe(800);
    await journal.flush();
    expect([...table.values()]).toEqual([800]);
  });

  it('survives a restart: the new process seeds its counter with the estimate, and adjusting it leaves the true cost', async () => {
    const { table, boot } = await setup();
    const first = await boot();
    const charge = (await first.budgets.chargeAhead(subject, 800)) as Exclude<Awaited<ReturnType<BudgetsService['chargeAhead']>>, BudgetExceeded | null>;
    await first.journal.flush();
    const second = await boot();
    expect(await live(second.budgets)).toBe(800);
    expect(await second.budgets.chargeAhead(subject, 300)).toBeInstanceOf(BudgetExceeded);
    await second.budgets.adjustAdvance(charge, 150); // results: their true cost
    await second.budgets.adjustAdvance(charge, -800); // the estimate taken back
    expect(await live(second.budgets)).toBe(150);
    await second.journal.flush();
    expect([...table.values()]).toEqual([150]);
  });

  it('adjusts the period the estimate went to, even once the next period has begun', async () => {
    const { table, boot } = await setup();
    const { budgets, journal } = await boot();
    const yesterday = Date.now() - DAY;
    const charge = (await budgets.chargeAhead(subject, 500, yesterday)) as { micros: number; periods: Array<{ budgetId: string; periodStartMs: number }> };
    await budgets.adjustAdvance(charge, 100 - 500);
    await journal.flush();
    expect(table.get(charge.periods[0].periodStartMs)).toBe(100);
    expect(await live(budgets)).toBe(0);
  });
});
