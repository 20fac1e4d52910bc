import { Injectable } from '@nestjs/common';
import { GatewayError, generateId, redactSecrets } from '@app/core';
import { type RoutePlan, RouterService } from '@app/providers';
import { type BatchBudgetCharge, BatchesRepository, type NewBatchItem, type StoredBatch } from '@app/storage';
import { type FileOwner, FileStore } from '../files/file-store';
import { type BatchEndpoint, MAX_BATCH_LINES } from './batch-limits';
import { type BatchLine, type BatchLineError, jsonlLines, parseBatchInput } from './batch-lines';
import { type BatchObject, failedBody, newBatchObject, type NewBatchFields, presentBatch, withStatus } from './batch-object';
import { BatchResumer } from './batch-resumer';
import { type NativeBatchClient, NativeLineError } from './native/native-batch-client';
import { NativeBatchApis } from './native/native-batch-apis';
import { NativeBatchBudget } from './native/native-batch-budget';
import { providerCustomIds } from './native/provider-custom-ids';

const WINDOW_MS = 24 * 3_600_000;

/** A line resolved to its first target; `upstreamModel` is what a native batch sends as `model`. */
interface ResolvedItem extends NewBatchItem {
  readonly upstreamModel: string;
}

/** A create request as the route validated it: exactly one of `inputFileId` and `requests`. */
export interface CreateBatchInput {
  readonly endpoint: BatchEndpoint;
  readonly inputFileId?: string;
  readonly requests?: readonly unknown[];
  readonly completionWindow: string;
  readonly metadata: Record<string, string> | null;
  /** The caller's model access (its key's `models`): a line whose plan it refuses fails with `model_not_allowed`. Absent: every model. */
  readonly allowsPlan?: (plan: RoutePlan) => boolean;
}

/**
 * Creates batches: reads the input (an uploaded JSONL file or inline requests), validates every
 * line and resolves its model through the router, then stores the batch — `failed` with per-line
 * errors when any line is bad (OpenAI's behaviour), otherwise `in_progress` with one item per line
 * and its first run enqueued.
 */
@Injectable()
export class BatchCreator {
  constructor(
    private readonly files: FileStore,
    private readonly router: RouterService,
    private readonly batches: BatchesRepository,
    private readonly resumer: BatchResumer,
    private readonly natives: NativeBatchApis,
    private readonly budget: NativeBatchBudget,
  ) {}

  async create(owner: FileOwner, input: CreateBatchInput): Promise<BatchObject> {
    const parsed = await parseBatchInput(await this.source(owner, input), input.endpoint);
    const { items, errors } = this.resolve(parsed.lines, input.allowsPlan);
    const allErrors = [...parsed.errors, ...errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const providers = new Set(items.map((item) => item.provider));
    const provider = providers.size === 1 ? [...providers][0] : null;
    const native = allErrors.length === 0 && provider !== null ? this.natives.forNewBatch(provider, input.endpoint) : undefined;
    const createdAt = Date.now();
    const fields: NewBatchFields = {
      id: generateId('batch_'),
      endpoint: input.endpoint,
      inputFileId: input.inputFileId ?? null,
      completionWindow: input.completionWindow,
      metadata: input.metadata,
      createdAt: Math.floor(createdAt / 1000),
      expiresAt: Math.floor((createdAt + WINDOW_MS) / 1000),
      provider,
      mode: native ? 'native' : 'emulated',
    };
    const total = parsed.lines.length + parsed.errors.length;
    const shell = newBatchObject(fields, total);
    const toStore: NewBatchItem[] = native ? items.map(({ upstreamModel, ...item }) => ({ ...item, request: { ...item.request, model: upstreamModel } })) : items;
    // Before anything reaches the provider: a batch its budgets cannot cover is refused with a 429.
    const charge = native ? await this.budget.reserve(owner, input.endpoint, toStore) : null;
    const started = native ? await this.startNative(native, fields.id, input, toStore, parsed.lines) : undefined;
    const startErrors = started && 'error' in started ? [started.error] : [];
    const failed = allErrors.length > 0 || startErrors.length > 0;
    if (failed && charge) await this.budget.releaseCharge(charge, fields.id);
    const runningStatus = started && 'snapshot' in started && started.snapshot.status === 'validating' ? 'validating' : 'in_progress';
    const body = failed ? failedBody(shell, allErrors.length > 0 ? allErrors : startErrors) : withStatus(shell, runningStatus);
    const nativeId = started && 'nativeId' in started ? started.nativeId : null;
    const batch = storedBatch(fields, owner, body, { createdAt, nativeId, total: failed ? total : items.length, budgetCharge: failed ? null : charge });
    try {
      await this.batches.create(batch, failed ? [] : toStore);
    } catch (error) {
      if (batch.budgetCharge) await this.budget.releaseCharge(batch.budgetCharge, batch.id);
      throw error;
    }
    if (!failed && !native) await this.resumer.enqueue(batch.id, 0);
    return presentBatch(batch);
  }

  /**
   * Creates the batch on its provider, each line's model already the upstream model. A refusal
   * (or a line the provider's dialect cannot express) is the batch's error, never the caller's 500:
   * the batch is stored `failed` with it, and nothing half-made is left behind.
   */
  private async startNative(
    client: NativeBatchClient,
    batchId: string,
    input: CreateBatchInput,
    items: readonly NewBatchItem[],
    parsedLines: readonly BatchLine[],
  ): Promise<{ nativeId: string; snapshot: { status: string } } | { error: BatchLineError }> {
    const ids = providerCustomIds(items.map((item) => item.customId));
    const lines = items.map((item, index) => ({ customId: ids[index], body: item.request }));
    try {
      return await client.create({ endpoint: input.endpoint, lines, metadata: input.metadata }, this.natives.context(`${batchId}-create`));
    } catch (error) {
      if (error instanceof NativeLineError) {
        const cause = error.rejection;
        return {
          error: { code: cause.code ?? 'invalid_value', message: cause.message, param: cause.param ? `body.${cause.param}` : 'body', line: parsedLines[error.index]?.line ?? null },
        };
      }
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      const provider = items[0]?.provider ?? '';
      return { error: { code: 'provider_batch_create_failed', message: `Provider '${provider}' did not accept the batch: ${message}`, param: null, line: null } };
    }
  }

  private async source(owner: FileOwner, input: CreateBatchInput): Promise<AsyncIterable<unknown> | Iterable<unknown>> {
    if (input.requests) {
      if (input.requests.length > MAX_BATCH_LINES)
        throw GatewayError.invalidRequest(`A batch may hold at most ${MAX_BATCH_LINES} requests.`, 'requests', 'batch_too_many_requests');
      return input.requests;
    }
    const content = input.inputFileId ? await this.files.content(owner, input.inputFileId) : undefined;
    if (!content) throw GatewayError.invalidRequest(`No file with id '${input.inputFileId ?? ''}' was found.`, 'input_file_id', 'invalid_input_file');
    if (content.file.purpose !== 'batch')
      throw GatewayError.invalidRequest(`The input file must have purpose 'batch', not '${content.file.purpose}'.`, 'input_file_id', 'invalid_input_file');
    return jsonlLines(content.body);
  }

  /**
   * Each line's model through the router (aliases, fallbacks) and the caller's model access, as a
   * request of its own would be judged; an unknown or forbidden model is that line's error.
   */
  private resolve(lines: readonly BatchLine[], allowsPlan?: (plan: RoutePlan) => boolean): { items: ResolvedItem[]; errors: BatchLineError[] } {
    const targetOf = new Map<string, { provider: string; model: string } | 'model_not_found' | 'model_not_allowed'>();
    const items: ResolvedItem[] = [];
    const errors: BatchLineError[] = [];
    for (const line of lines) {
      const model = String(line.body.model);
      if (!targetOf.has(model)) targetOf.set(model, this.firstTarget(model, allowsPlan));
      const target = targetOf.get(model)!;
      if (target === 'model_not_found') {
        errors.push({ code: target, message: `The model '${model}' does not exist or is not served by this gateway.`, param: 'body.model', line: line.line });
        continue;
      }
      if (target === 'model_not_allowed') {
        errors.push({ code: target, message: `This API key may not use the model '${model}'.`, param: 'body.model', line: line.line });
        continue;
      }
      // Emulated runs route each item again when it runs; native ones are sent as they are stored.
      items.push({ position: items.length, customId: line.customId, provider: target.provider, request: line.body, upstreamModel: target.model });
    }
    return { items, errors };
  }

  private firstTarget(model: string, allowsPlan?: (plan: RoutePlan) => boolean): { provider: string; model: string } | 'model_not_found' | 'model_not_allowed' {
    let plan: RoutePlan;
    try {
      plan = this.router.plan(model);
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'model_not_found') return 'model_not_found';
      throw error;
    }
    if (allowsPlan && !allowsPlan(plan)) return 'model_not_allowed';
    const target = plan.targets[0];
    return { provider: target.provider.name, model: target.model };
  }
}

/** The row of a new batch, as its Batch object describes it. */
function storedBatch(
  fields: NewBatchFields,
  owner: FileOwner,
  body: BatchObject,
  extra: { createdAt: number; nativeId: string | null; total: number; budgetCharge: BatchBudgetCharge | null },
): StoredBatch {
  // Milliseconds, not the body's seconds: lists order by it.
  const createdAt = new Date(extra.createdAt);
  return {
    id: fields.id,
    createdAt,
    updatedAt: createdAt,
    status: String(body.status),
    mode: fields.mode,
    provider: fields.provider,
    endpoint: fields.endpoint,
    keyId: owner.keyId,
    userPath: owner.userPath,
    nativeId: extra.nativeId,
    generation: 0,
    totalCount: extra.total,
    completedCount: 0,
    failedCount: 0,
    expiresAt: new Date(extra.createdAt + WINDOW_MS),
    body,
    budgetCharge: extra.budgetCharge,
  };
}
