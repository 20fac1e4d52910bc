import type { AppConfig } from '@app/config';
import { type Budget, BudgetExceeded, type BudgetsService, type SpendPricing } from '@app/governance';
import type { RouterService } from '@app/providers';
import type { ClaimedBatchItem, StoredBatch } from '@app/storage';
import { ItemBudget } from './item-budget';

const budget: Budget = { id: 'bud_1', keyId: 'key_1', userPath: null, period: { kind: 'daily' }, amountMicros: 100 };
const config = { governance: { defaultMaxOutputTokens: 100, budgetRedisFailure: 'closed' } } as unknown as AppConfig;
const item = { position: 0, customId: 'a', provider: 'openai', attempts: 0, request: { model: 'gpt-4o-mini', max_tokens: 8, messages: [] } } as ClaimedBatchItem;

function refusing(): ItemBudget {
  const budgets = { covers: () => true, reserve: () => Promise.resolve(new BudgetExceeded(budget, 100)) } as unknown as BudgetsService;
  return new ItemBudget(config, budgets, { maxCostMicros: () => 10 } as unknown as SpendPricing);
}

describe('ItemBudget', () => {
  it.each([
    ['/v1/chat/completions', { error: expect.objectContaining({ type: 'rate_limit_error', code: 'budget_exceeded' }) }],
    ['/v1/messages', { type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining("Budget exceeded for key 'key_1'") } }],
  ])('answers an item no budget has room for with a 429 in the envelope of %s', async (endpoint, body) => {
    const admission = await refusing().admit({ id: 'batch_1', endpoint, keyId: 'key_1', userPath: null } as StoredBatch, item);
    expect(admission).toEqual({ run: false, answer: { kind: 'answered', statusCode: 429, body, provider: null, model: null } });
  });

  it('prices an item by the target its model resolves to (an alias), not by the selector it names', async () => {
    const priced: unknown[] = [];
    const reserve = jest.fn(() => Promise.resolve(null));
    const budgets = { covers: () => true, reserve } as unknown as BudgetsService;
    const pricing = { maxCostMicros: (target: unknown) => (priced.push(target), 42) } as unknown as SpendPricing;
    const router = { plan: () => ({ selector: 'fast', targets: [{ provider: { name: 'groq' }, model: 'llama-3.3-70b' }] }) } as unknown as RouterService;
    const aliased = { ...item, provider: 'groq', request: { ...item.request, model: 'fast' } } as ClaimedBatchItem;
    await new ItemBudget(config, budgets, pricing, router).admit({ id: 'batch_1', endpoint: '/v1/chat/completions', keyId: 'key_1', userPath: null } as StoredBatch, aliased);
    expect(priced).toEqual([{ provider: 'groq', model: 'llama-3.3-70b' }]);
    expect(reserve).toHaveBeenCalledWith({ keyId: 'key_1', userPath: null }, 42);
  });
});
