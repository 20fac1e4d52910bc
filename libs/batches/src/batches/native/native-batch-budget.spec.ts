import type { AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { type AdvanceCharge, type Budget, BudgetExceeded, type BudgetsService, type SpendPricing } from '@app/governance';
import type { BatchBudgetCharge, BatchesRepository, NewBatchItem, StoredBatch } from '@app/storage';
import { NativeBatchBudget } from './native-batch-budget';

const LINE_MAX_MICROS = 400;
const LIMIT = 1_000;
const owner = { keyId: 'key_1', userPath: null };
const items = (count: number): NewBatchItem[] =>
  Array.from({ length: count }, (_, position) => ({ position, customId: `c${position}`, provider: 'openai', request: { model: 'gpt-4o-mini', messages: [] } }));
const budgetRow: Budget = { id: 'bud_1', keyId: 'key_1', userPath: null, period: { kind: 'daily' }, amountMicros: LIMIT };

/** A ledger of one budget: `spent` is what its counter holds. */
function setup(options: { failing?: boolean; mode?: 'open' | 'closed' } = {}) {
  const ledger = { spent: 0 };
  const budgets = {
    covers: () => true,
    chargeAhead: jest.fn((_subject: unknown, micros: number): Promise<AdvanceCharge | BudgetExceeded> => {
      if (options.failing) return Promise.reject(new Error('ECONNREFUSED'));
      if (ledger.spent + micros > LIMIT) return Promise.resolve(new BudgetExceeded(budgetRow, ledger.spent));
      ledger.spent += micros;
      return Promise.resolve({ micros, periods: [{ budgetId: 'bud_1', periodStartMs: 0 }] });
    }),
    adjustAdvance: jest.fn((_charge: AdvanceCharge, delta: number) => {
      ledger.spent += delta;
      return Promise.resolve();
    }),
    charge: jest.fn(() => Promise.resolve()),
  };
  const pricing = { maxCostMicros: jest.fn(() => LINE_MAX_MICROS) } as unknown as SpendPricing;
  let stored: BatchBudgetCharge | null = null;
  const batches = {
    takeBudgetCharge: jest.fn(() => {
      const taken = stored;
      stored = null;
      return Promise.resolve(taken);
    }),
  };
  const config = { governance: { defaultMaxOutputTokens: 100, budgetRedisFailure: options.mode ?? 'closed' } } as unknown as AppConfig;
  const budget = new NativeBatchBudget(config, batches as unknown as BatchesRepository, budgets as unknown as BudgetsService, pricing);
  return { budget, budgets, pricing, ledger, store: (charge: BatchBudgetCharge | null) => (stored = charge) };
}

const batchWith = (budgetCharge: BatchBudgetCharge | null) => ({ id: 'batch_1', keyId: 'key_1', userPath: null, budgetCharge }) as StoredBatch;

describe('NativeBatchBudget', () => {
  it('charges the whole batch ahead: the sum of each line’s bound at batch prices', async () => {
    const { budget, pricing, ledger } = setup();
    expect(await budget.reserve(owner, '/v1/chat/completions', items(2))).toEqual({ micros: 800, periods: [{ budgetId: 'bud_1', periodStartMs: 0 }] });
    expect(pricing.maxCostMicros).toHaveBeenCalledTimes(2);
    expect(pricing.maxCostMicros).toHaveBeenCalledWith({ provider: 'openai', model: 'gpt-4o-mini' }, expect.any(Number), 100, { batch: true });
    expect(ledger.spent).toBe(800);
  });

  it('refuses a batch that fits line by line but not whole with the foreground’s 429 budget_exceeded', async () => {
    const { budget, ledger } = setup();
    const refusal = await budget.reserve(owner, '/v1/chat/completions', items(3)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GatewayError);
    expect(refusal).toMatchObject({ status: 429, code: 'budget_exceeded', kind: 'rate_limited' });
    expect(ledger.spent).toBe(0);
  });

  it('while the ledger cannot answer: 503 budget_unavailable (closed), or runs unchecked (open)', async () => {
    await expect(setup({ failing: true }).budget.reserve(owner, '/v1/chat/completions', items(1))).rejects.toMatchObject({ status: 503, code: 'budget_unavailable' });
    expect(await setup({ failing: true, mode: 'open' }).budget.reserve(owner, '/v1/chat/completions', items(1))).toBeNull();
  });

  it('charges results to the estimate’s budgets and takes the estimate back once: the budget ends at the true cost', async () => {
    const { budget, budgets, ledger, store } = setup();
    const charge = (await budget.reserve(owner, '/v1/chat/completions', items(2)))!;
    store(charge);
    await budget.chargeResults(batchWith(charge), 130);
    await budget.chargeResults(batchWith(charge), 20);
    await budget.release('batch_1');
    await budget.release('batch_1'); // a finalization redone, or a second replica
    expect(ledger.spent).toBe(150);
    expect(budgets.charge).not.toHaveBeenCalled();
  });

  it('releases the whole estimate of a batch that never ran', async () => {
    const { budget, ledger } = setup();
    const charge = (await budget.reserve(owner, '/v1/chat/completions', items(2)))!;
    await budget.releaseCharge(charge, 'batch_1');
    expect(ledger.spent).toBe(0);
  });

  it('charges a batch created with nothing charged ahead to the budgets covering its owner now, as before', async () => {
    const { budget, budgets } = setup();
    await budget.chargeResults(batchWith(null), 70);
    expect(budgets.charge).toHaveBeenCalledWith({ keyId: 'key_1', userPath: null }, 70);
  });
});
