import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError, redactSecrets } from '@app/core';
import { BatchesRepository, type StoredBatch } from '@app/storage';
import { withStatus } from '../batch-object';
import type { NativeBatchClient } from './native-batch-client';
import { NativeBatchApis } from './native-batch-apis';
import { NativeBatchBudget } from './native-batch-budget';
import { NativeBatchResults } from './native-batch-results';
import type { NativeEnd, NativeSnapshot } from './native-snapshot';

const FINISHED = ['completed', 'failed', 'expired', 'cancelled'];
const OPEN_STATUSES = ['validating', 'in_progress', 'cancelling', 'finalizing'];
const SWEEP_LIMIT = 100;
/** A finalization that has not stored its end by then died with its replica; the next refresh redoes it. */
const FINALIZING_STALE_MS = 120_000;

/**
 * Keeps native batches in step with their provider. A retrieve refreshes a batch at most every
 * BATCH_NATIVE_REFRESH (the row's `updated_at` is the last refresh, so replicas share the pace),
 * concurrent retrieves in one process share one refresh, and the batches sweep (every 30 s)
 * refreshes those nobody retrieved. A refresh that fails keeps
 * the last known state. When the provider batch has ended, the replica that wins the move to
 * `finalizing` brings the results home (NativeBatchResults).
 */
@Injectable()
export class NativeBatchSync {
  private readonly logger = new Logger(NativeBatchSync.name);
  private readonly inFlight = new Map<string, Promise<StoredBatch>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly batches: BatchesRepository,
    private readonly apis: NativeBatchApis,
    private readonly results: NativeBatchResults,
    private readonly budget: NativeBatchBudget,
  ) {}

  /** The batch, refreshed from its provider when it is native, open and due; never throws for the provider's sake. */
  refresh(batch: StoredBatch): Promise<StoredBatch> {
    if (!this.due(batch)) return Promise.resolve(batch);
    let shared = this.inFlight.get(batch.id);
    if (!shared) {
      shared = this.sync(batch).finally(() => this.inFlight.delete(batch.id));
      this.inFlight.set(batch.id, shared);
    }
    return shared;
  }

  /**
   * The periodic sweep's part: open native batches nobody retrieved for a refresh interval are
   * refreshed, so one that ends gets its files and usage rows without a client polling it.
   */
  async refreshDue(limit = SWEEP_LIMIT): Promise<number> {
    const due = await this.batches.findStale('native', OPEN_STATUSES, new Date(Date.now() - this.config.batches.nativeRefreshMs), limit);
    let refreshed = 0;
    for (const batch of due) {
      if (!this.due(batch)) continue;
      await this.refresh(batch);
      refreshed++;
    }
    return refreshed;
  }

  /** Forwards a cancel to the provider; the batch shows `cancelling` until a refresh sees it end. */
  async cancel(batch: StoredBatch): Promise<StoredBatch> {
    const client = this.clientOf(batch);
    const snapshot = await client.cancel(batch.nativeId ?? '', this.apis.context(`${batch.id}-cancel`));
    // Whatever the provider answers (it may have ended meanwhile), the next refresh reads the end.
    const status = 'cancelling';
    const body = withStatus(batch.body, status);
    const fresh = { ...batch, status, body };
    if (!(await this.batches.update(batch.id, { status, body, completedCount: snapshot.completed, failedCount: snapshot.failed }, [batch.status]))) return batch;
    return fresh;
  }

  private due(batch: StoredBatch): boolean {
    if (batch.mode !== 'native' || !batch.nativeId || FINISHED.includes(batch.status)) return false;
    const age = Date.now() - batch.updatedAt.getTime();
    return batch.status === 'finalizing' ? age >= FINALIZING_STALE_MS : age >= this.config.batches.nativeRefreshMs;
  }

  private async sync(batch: StoredBatch): Promise<StoredBatch> {
    let snapshot: NativeSnapshot;
    let client: NativeBatchClient;
    try {
      client = this.clientOf(batch);
      snapshot = await client.retrieve(batch.nativeId ?? '', this.apis.context(`${batch.id}-refresh`));
    } catch (error) {
      this.logger.warn({ msg: 'could not refresh a native batch; keeping its last known state', batchId: batch.id, provider: batch.provider, err: describe(error) });
      await this.batches.touch(batch.id);
      return batch;
    }
    try {
      if (!snapshot.ended) return await this.progress(batch, snapshot);
      if (snapshot.ended === 'failed') return await this.fail(batch, snapshot);
      return await this.finish(batch, client, { ...snapshot, ended: snapshot.ended });
    } catch (error) {
      this.logger.warn({ msg: 'could not bring a native batch up to date; the next retrieve tries again', batchId: batch.id, provider: batch.provider, err: describe(error) });
      return (await this.batches.find(batch.id)) ?? batch;
    }
  }

  private async progress(batch: StoredBatch, snapshot: NativeSnapshot): Promise<StoredBatch> {
    // `cancelling` is kept until the provider says the batch ended, whatever it reports meanwhile.
    const status = batch.status === 'cancelling' ? 'cancelling' : snapshot.status;
    const body = status === batch.status ? batch.body : withStatus(batch.body, status);
    const patch = { status, body, completedCount: snapshot.completed, failedCount: snapshot.failed };
    if (!(await this.batches.update(batch.id, patch, [batch.status]))) return (await this.batches.find(batch.id)) ?? batch;
    return { ...batch, ...patch, updatedAt: new Date() };
  }

  /** The provider refused the batch after creation (OpenAI `failed`): its errors become the batch's. */
  private async fail(batch: StoredBatch, snapshot: NativeSnapshot): Promise<StoredBatch> {
    const data = (snapshot.errors ?? []).map((error) => ({ ...error, message: redactSecrets(typeof error.message === 'string' ? error.message : '') }));
    const errors = {
      object: 'list',
      data: data.length > 0 ? data : [{ code: 'provider_batch_failed', message: `Provider '${batch.provider}' failed the batch.`, param: null, line: null }],
    };
    const body = withStatus(batch.body, 'failed', { errors });
    // Nothing ran: the estimate charged at create goes back (once, whoever stored the end).
    if (await this.batches.update(batch.id, { status: 'failed', body }, [batch.status])) await this.budget.release(batch.id);
    return (await this.batches.find(batch.id)) ?? batch;
  }

  private async finish(batch: StoredBatch, client: NativeBatchClient, snapshot: NativeSnapshot & { ended: Exclude<NativeEnd, 'failed'> }): Promise<StoredBatch> {
    const body = withStatus(batch.body, 'finalizing');
    // Conditional: of several replicas refreshing at once, one brings the results home. A stale
    // `finalizing` batch is taken over by bumping its row (updated_at) from the same status.
    if (!(await this.batches.update(batch.id, { status: 'finalizing', body }, [batch.status]))) return (await this.batches.find(batch.id)) ?? batch;
    const finalizing = { ...batch, status: 'finalizing', body };
    await this.results.complete(finalizing, client, snapshot, this.apis.context(`${batch.id}-results`));
    return (await this.batches.find(batch.id)) ?? finalizing;
  }

  private clientOf(batch: StoredBatch): NativeBatchClient {
    const client = batch.provider ? this.apis.client(batch.provider) : undefined;
    if (!client) throw new GatewayError('upstream_error', `Provider '${batch.provider ?? ''}' of native batch ${batch.id} is not configured any more.`);
    return client;
  }
}

function describe(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}
