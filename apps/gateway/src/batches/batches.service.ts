import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { BatchCreator, type BatchObject, type CreateBatchInput, NativeBatchSync, outputLine, presentBatch, withStatus } from '@app/batches';
import { GatewayError } from '@app/core';
import { BudgetExceeded, BudgetsService } from '@app/governance';
import type { RoutePlan } from '@app/providers';
import { BatchItemsRepository, BatchesRepository, type BatchOwnerScope, type StoredBatch } from '@app/storage';
import type { Caller } from '../auth/caller';
import { ModelAccess } from '../governance/model-access';

const FINISHED = ['completed', 'failed', 'expired', 'cancelled'];
/** Emulated batches move as their items run: a couple of seconds between polls is plenty. */
const EMULATED_POLL_AFTER_MS = 2_000;

/** The Batches API over the batch engine; every lookup is scoped to the caller (another owner's batch is a 404). */
@Injectable()
export class BatchesService {
  constructor(
    private readonly creator: BatchCreator,
    private readonly batches: BatchesRepository,
    private readonly items: BatchItemsRepository,
    private readonly natives: NativeBatchSync,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: ModelAccess,
    @Optional() private readonly budgets?: BudgetsService,
  ) {}

  /** The `openai-poll-after-ms` hint: a native batch changes no faster than its refresh interval. */
  pollAfterMs(batch: BatchObject): string {
    return String(batch.mode === 'native' ? Math.max(this.config.batches.nativeRefreshMs, 1_000) : EMULATED_POLL_AFTER_MS);
  }

  /**
   * Creates a batch for the caller; each line's model is judged by the caller's model access, as
   * its own request would be. A budget of the caller's that is already spent refuses the batch
   * (as it refuses any request); emulated items then reserve as they run, and a native batch
   * reserves its whole estimate at create (refused with the same 429 when it does not fit,
   * NativeBatchBudget) and is settled to its true cost as its results come home.
   */
  async create(caller: Caller, input: CreateBatchInput): Promise<BatchObject> {
    if ((input.inputFileId === undefined) === (input.requests === undefined)) {
      throw GatewayError.invalidRequest('Give exactly one of input_file_id and requests.', 'input_file_id');
    }
    await this.refuseSpentBudget(caller);
    const allowsPlan = (plan: RoutePlan) => this.access.allowsPlan(caller, plan);
    return this.creator.create({ keyId: caller.keyId, userPath: caller.userPath }, { ...input, allowsPlan });
  }

  private async refuseSpentBudget(caller: Caller): Promise<void> {
    if (!this.budgets?.covers(caller)) return;
    const verdict = await this.budgets.reserve(caller, 0);
    if (verdict instanceof BudgetExceeded) {
      throw new GatewayError('rate_limited', verdict.message, { status: 429, code: 'budget_exceeded' });
    }
    if (verdict) await this.budgets.settle(verdict, 0);
  }

  async list(owner: BatchOwnerScope, limit: number, after?: string): Promise<Record<string, unknown>> {
    const page = await this.batches.list(owner, limit, after);
    if (!page) throw GatewayError.invalidRequest(`No batch with id '${after}' to list after.`, 'after');
    const data = page.batches.map(presentBatch);
    return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: page.hasMore };
  }

  /** A native batch is refreshed from its provider first (at most every BATCH_NATIVE_REFRESH). */
  async retrieve(owner: BatchOwnerScope, id: string): Promise<BatchObject> {
    return presentBatch(await this.natives.refresh(await this.find(owner, id)));
  }

  /** Native: forwarded to the provider. Emulated: items not started are dropped, running ones finish, what finished stays in the output. */
  async cancel(owner: BatchOwnerScope, id: string): Promise<BatchObject> {
    const batch = await this.find(owner, id);
    if (batch.status === 'cancelling' || batch.status === 'cancelled') return presentBatch(batch);
    if (!['validating', 'in_progress'].includes(batch.status)) {
      throw new GatewayError('invalid_request', `Batch ${id} cannot be cancelled: it is ${batch.status}.`, { status: 409, code: 'batch_not_cancellable' });
    }
    if (batch.mode === 'native') return presentBatch(await this.natives.cancel(batch));
    const body = withStatus(batch.body, 'cancelling');
    if (!(await this.batches.update(id, { status: 'cancelling', body }, [batch.status]))) return this.retrieve(owner, id);
    return presentBatch({ ...batch, status: 'cancelling', body });
  }

  async results(owner: BatchOwnerScope, id: string, after: number, limit: number): Promise<Record<string, unknown>> {
    const batch = await this.find(owner, id);
    if (!FINISHED.includes(batch.status)) {
      throw new GatewayError('invalid_request', `Batch ${id} is ${batch.status}; its results are ready once it has finished.`, { status: 409, code: 'batch_not_finished' });
    }
    const rows = await this.items.page(id, after, limit + 1, ['succeeded', 'failed', 'cancelled', 'expired']);
    const data = rows.slice(0, limit).map((item) => {
      const line = outputLine(id, item);
      const response = line.response as { body?: unknown } | null;
      return { index: item.position, custom_id: item.customId, status_code: item.statusCode, response: response?.body ?? null, error: line.error };
    });
    return { object: 'list', batch_id: id, data, has_more: rows.length > limit };
  }

  private async find(owner: BatchOwnerScope, id: string): Promise<StoredBatch> {
    const batch = await this.batches.find(id, owner);
    if (!batch) throw new GatewayError('not_found', `No batch found with id '${id}'.`, { param: 'batch_id', code: 'batch_not_found' });
    return batch;
  }
}
