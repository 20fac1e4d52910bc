import { Inject, Injectable, Optional } from '@nestjs/common';
import { SPEND_PRICING, type SpendPricing } from '@app/governance';
import { BatchItemsRepository, type NativeBatchItemOutcome, type StoredBatch, UsageWriter } from '@app/storage';
import { BatchFinalizer } from '../batch-finalizer';
import type { BatchEndpoint } from '../batch-limits';
import { itemUsageRecord } from '../emulated/item-usage';
import type { ItemRun } from '../emulated/item-outcome';
import { itemRequestId } from '../output-line';
import { NativeBatchBudget } from './native-batch-budget';
import type { NativeBatchClient } from './native-batch-client';
import { jsonToolNameOf, type NativeItemOutcome } from './native-lines';
import type { NativeEnd, NativeSnapshot } from './native-snapshot';
import { providerCustomIds } from './provider-custom-ids';

const PAGE = 500;

interface ItemRef {
  readonly position: number;
  readonly customId: string;
  readonly model: string | null;
  readonly jsonToolName?: string;
}

/**
 * Brings an ended provider batch home: reads its results, records each item's outcome (only items
 * still pending, so a finalization run twice records and bills each item once) with one usage row
 * per answered item, closes items the provider never reported, and writes the Switchyard output
 * and error files through the same finalizer as emulated batches, so files, counters and
 * `/results` look the same in both modes. Each chunk's true cost is charged to the budgets the
 * batch's estimate went to at create, and the estimate is released once every result is recorded
 * (NativeBatchBudget), so the budgets end up charged what the provider ran.
 */
@Injectable()
export class NativeBatchResults {
  constructor(
    private readonly items: BatchItemsRepository,
    private readonly finalizer: BatchFinalizer,
    private readonly usage: UsageWriter,
    private readonly budget: NativeBatchBudget,
    @Optional() @Inject(SPEND_PRICING) private readonly pricing?: SpendPricing,
  ) {}

  /** `batch` is `finalizing` (this caller won the move there); true when the terminal status was stored. */
  async complete(
    batch: StoredBatch,
    client: NativeBatchClient,
    snapshot: NativeSnapshot & { ended: Exclude<NativeEnd, 'failed'> },
    context: Parameters<NativeBatchClient['results']>[4],
  ): Promise<boolean> {
    const refs = await this.refs(batch.id);
    const endpoint = batch.endpoint as BatchEndpoint;
    let chunk: Array<{ ref: ItemRef; outcome: NativeItemOutcome }> = [];
    for await (const line of client.results(batch.nativeId ?? '', snapshot, endpoint, (customId) => refs.get(customId)?.jsonToolName, context)) {
      const ref = refs.get(line.customId);
      if (!ref) continue;
      chunk.push({ ref, outcome: line.outcome });
      if (chunk.length >= PAGE) {
        await this.record(batch, chunk);
        chunk = [];
      }
    }
    await this.record(batch, chunk);
    await this.items.closeOpen(batch.id, ['pending'], snapshot.ended === 'cancelled' ? 'cancelled' : 'expired');
    // Every true cost is charged now; a finalization redone after a crash finds the estimate already taken.
    await this.budget.release(batch.id);
    return this.finalizer.finalize(batch, snapshot.ended);
  }

  /** The batch's items by the custom_id the provider knows them by. */
  private async refs(batchId: string): Promise<Map<string, ItemRef>> {
    const all: ItemRef[] = [];
    for (let after = -1; ;) {
      const page = await this.items.requests(batchId, after, 1_000);
      if (page.length === 0) break;
      after = page[page.length - 1].position;
      for (const item of page) {
        const model = typeof item.request.model === 'string' ? item.request.model : null;
        all.push({ position: item.position, customId: item.customId, model, jsonToolName: jsonToolNameOf(item.request) });
      }
    }
    const sent = providerCustomIds(all.map((item) => item.customId));
    return new Map(all.map((item, index) => [sent[index], item]));
  }

  private async record(batch: StoredBatch, chunk: ReadonlyArray<{ ref: ItemRef; outcome: NativeItemOutcome }>): Promise<void> {
    const outcomes: NativeBatchItemOutcome[] = chunk.map(({ ref, outcome }) => ({
      position: ref.position,
      status: outcome.status,
      statusCode: outcome.statusCode,
      response: outcome.response,
      error: outcome.error,
      upstreamRequestId: outcome.upstreamRequestId,
    }));
    const recorded = new Set(await this.items.recordNative(batch.id, outcomes));
    const startedAt = batch.createdAt.getTime();
    let billed = 0;
    for (const { ref, outcome } of chunk) {
      if (!recorded.has(ref.position) || outcome.status === 'cancelled' || outcome.status === 'expired') continue;
      const run: ItemRun =
        outcome.statusCode === null
          ? { kind: 'failed', code: outcome.error?.code ?? 'batch_request_failed', message: outcome.error?.message ?? '' }
          : { kind: 'answered', statusCode: outcome.statusCode, body: outcome.response, usage: outcome.usage, provider: batch.provider, model: ref.model };
      const usage = itemUsageRecord(batch, { customId: ref.customId, requestId: itemRequestId(batch.id, ref.position), startedAt }, run, this.pricing);
      this.usage.record(usage);
      billed += usage.cost?.total ?? 0;
    }
    await this.budget.chargeResults(batch, billed);
  }
}
