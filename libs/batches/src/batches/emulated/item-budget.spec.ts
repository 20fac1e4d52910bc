import type { AppConfig } from '@app/config';
import { type Budget, BudgetExceeded, type BudgetsService, type SpendPricing } from '@app/governance';
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
});
