import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { generateId } from '@app/core';
import { SPEND_PRICING, type SpendPricing } from '@app/governance';
import { type BatchItemOutcome, BatchItemsRepository, BatchesRepository, type ClaimedBatchItem, type StoredBatch, UsageWriter } from '@app/storage';
import { BatchFinalizer } from '../batch-finalizer';
import type { BatchEndpoint } from '../batch-limits';
import { itemRequestId } from '../output-line';
import { BatchItemExecutor } from './batch-item-executor';
import { ItemBudget, type ItemHold } from './item-budget';
import type { ItemRun } from './item-outcome';
import { itemUsageRecord } from './item-usage';
import { ProviderPacer } from './provider-pacer';

const IDLE_POLL_MS = 1_000;

interface Finished {
  readonly item: ClaimedBatchItem;
  readonly run: ItemRun;
  readonly startedAt: number;
  readonly hold: ItemHold;
}

/**
 * Runs an emulated batch on this worker until it ends: claims due items in chunks under a lease,
 * runs them paced per provider, and records each chunk's outcomes in one transaction that also
 * ends their leases. Delivery guarantee: an item whose outcome was recorded is never sent again;
 * an item whose worker died after the upstream answered but before the chunk was recorded is sent
 * again by whoever takes its lease over (at-least-once, the window being one chunk's run time).
 */
@Injectable()
export class EmulatedBatchRun {
  private readonly logger = new Logger(EmulatedBatchRun.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly batches: BatchesRepository,
    private readonly items: BatchItemsRepository,
    private readonly executor: BatchItemExecutor,
    private readonly pacer: ProviderPacer,
    private readonly finalizer: BatchFinalizer,
    private readonly usage: UsageWriter,
    private readonly budget: ItemBudget,
    @Optional() @Inject(SPEND_PRICING) private readonly pricing?: SpendPricing,
  ) {}

  async execute(batchId: string, generation: number): Promise<{ status: string }> {
    const owner = generateId('run_');
    for (;;) {
      const batch = await this.batches.find(batchId);
      if (!batch || batch.mode !== 'emulated' || batch.generation !== generation) return { status: batch ? 'superseded' : 'missing' };
      const ended = await this.endIfDue(batch);
      if (ended) return { status: ended };
      const claimed = batch.status === 'in_progress' ? await this.items.claim(batchId, owner, this.chunkSize(), this.config.batches.leaseMs) : [];
      if (claimed.length > 0) {
        await this.runChunk(batch, owner, claimed);
        continue;
      }
      const counts = await this.items.counts(batchId);
      if (counts.pending + counts.running === 0) {
        await this.finalizer.finalize(batch, batch.status === 'cancelling' ? 'cancelled' : 'completed');
        continue;
      }
      await this.batches.touch(batchId);
      const due = (await this.items.nextDue(batchId))?.getTime() ?? Date.now() + IDLE_POLL_MS;
      await sleep(Math.min(Math.max(due - Date.now(), 50), IDLE_POLL_MS));
    }
  }

  /** Finished already, past its window (open items expire), or cancelling (pending items are dropped, running ones finish). */
  private async endIfDue(batch: StoredBatch): Promise<string | undefined> {
    if (['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) return batch.status;
    if (batch.status === 'finalizing') {
      await this.finalizer.finalize(batch, 'completed');
      return 'completed';
    }
    if (Date.now() >= batch.expiresAt.getTime()) {
      await this.items.closeOpen(batch.id, ['pending', 'running'], 'expired');
      await this.finalizer.finalize(batch, 'expired');
      return 'expired';
    }
    if (batch.status === 'cancelling') await this.items.closeOpen(batch.id, ['pending'], 'cancelled');
    return undefined;
  }

  private chunkSize(): number {
    return this.config.batches.concurrency * 2;
  }

  private async runChunk(batch: StoredBatch, owner: string, claimed: readonly ClaimedBatchItem[]): Promise<void> {
    const renew = setInterval(() => void this.items.renew(batch.id, owner, this.config.batches.leaseMs).catch(() => undefined), this.config.batches.leaseMs / 3);
    try {
      const finished = await Promise.all(claimed.map((item) => this.runItem(batch, item)));
      await this.record(batch, owner, finished);
    } finally {
      clearInterval(renew);
    }
  }

  private runItem(batch: StoredBatch, item: ClaimedBatchItem): Promise<Finished> {
    return this.pacer.run(item.provider, async () => {
      const startedAt = Date.now();
      const admission = await this.budget.admit(batch, item);
      if (!admission.run) return { item, run: admission.answer, startedAt, hold: null };
      const context = { requestId: itemRequestId(batch.id, item.position), signal: AbortSignal.timeout(this.config.upstream.totalTimeoutMs) };
      const run = await this.executor.run(batch.endpoint as BatchEndpoint, item.request, item.attempts, context).catch((error: unknown) => {
        this.budget.settle(admission.hold, 0);
        throw error;
      });
      if (run.kind === 'retry' && run.rateLimited) this.pacer.pause(item.provider, run.delayMs);
      return { item, run, startedAt, hold: admission.hold };
    });
  }

  /** Retries go back to the queue; outcomes are recorded together, and only recorded items are billed (usage and budgets). */
  private async record(batch: StoredBatch, owner: string, finished: readonly Finished[]): Promise<void> {
    const outcomes: BatchItemOutcome[] = [];
    for (const { item, run } of finished) {
      if (run.kind === 'retry') {
        await this.items.release(batch.id, owner, item.position, new Date(Date.now() + run.delayMs));
        continue;
      }
      outcomes.push(toOutcome(batch.id, item, run));
    }
    let recorded: Set<number>;
    try {
      recorded = new Set(await this.items.complete(batch.id, owner, outcomes));
    } catch (error) {
      for (const { hold } of finished) this.budget.settle(hold, 0);
      throw error;
    }
    for (const { item, run, startedAt, hold } of finished) {
      if (!recorded.has(item.position) || run.kind === 'retry') {
        this.budget.settle(hold, 0);
        continue;
      }
      const usage = itemUsageRecord(batch, { customId: item.customId, requestId: itemRequestId(batch.id, item.position), startedAt }, run, this.pricing);
      this.usage.record(usage);
      this.budget.settle(hold, usage.cost?.total ?? 0);
    }
    if (recorded.size < outcomes.length)
      this.logger.warn({
        msg: 'batch items finished after their lease passed to another worker; their results were dropped',
        batchId: batch.id,
        dropped: outcomes.length - recorded.size,
      });
  }
}

function toOutcome(batchId: string, item: ClaimedBatchItem, run: Exclude<ItemRun, { kind: 'retry' }>): BatchItemOutcome {
  if (run.kind === 'failed')
    return { position: item.position, status: 'failed', statusCode: null, response: null, error: { code: run.code, message: run.message }, upstreamRequestId: null };
  const ok = run.statusCode >= 200 && run.statusCode < 300;
  return {
    position: item.position,
    status: ok ? 'succeeded' : 'failed',
    statusCode: run.statusCode,
    response: run.body,
    error: null,
    upstreamRequestId: itemRequestId(batchId, item.position),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
