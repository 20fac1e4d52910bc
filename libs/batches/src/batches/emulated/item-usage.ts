import type { PricedTarget, SpendPricing } from '@app/governance';
import type { NewUsageRecord, StoredBatch } from '@app/storage';
import type { AnsweredItem, ItemRun } from './item-outcome';

/** One usage row per recorded item (endpoint `/v1/batches`, the batch id and the item's custom_id), priced at batch rates when pricing is bound. */
export function itemUsageRecord(batch: StoredBatch, item: { customId: string; requestId: string; startedAt: number }, run: ItemRun, pricing?: SpendPricing): NewUsageRecord {
  const answered: AnsweredItem | undefined = run.kind === 'answered' ? run : undefined;
  const usage = answered?.usage;
  const target: PricedTarget | undefined = answered?.provider && answered.model ? { provider: answered.provider, model: answered.model } : undefined;
  return {
    requestId: item.requestId,
    createdAt: new Date(item.startedAt),
    provider: answered?.provider ?? null,
    model: answered?.model ?? null,
    endpoint: '/v1/batches',
    status: answered?.statusCode ?? 502,
    stream: false,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedTokens: usage?.cachedTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    latencyMs: Date.now() - item.startedAt,
    timeToFirstTokenMs: null,
    keyId: batch.keyId,
    userPath: batch.userPath,
    errorType: answered && answered.statusCode < 400 ? null : run.kind === 'failed' ? run.code : 'upstream_error',
    cost: target && usage && pricing ? pricing.costOf(target, usage, { batch: true }) : null,
    batchId: batch.id,
    customId: item.customId,
  };
}
