import { Injectable } from '@nestjs/common';
import { GatewayError, generateId } from '@app/core';
import { RouterService } from '@app/providers';
import { BatchesRepository, type NewBatchItem, type StoredBatch } from '@app/storage';
import { type FileOwner, FileStore } from '../files/file-store';
import { type BatchEndpoint, MAX_BATCH_LINES } from './batch-limits';
import { type BatchLine, type BatchLineError, jsonlLines, parseBatchInput } from './batch-lines';
import { type BatchObject, failedBody, newBatchObject, presentBatch, withStatus } from './batch-object';
import { BatchResumer } from './batch-resumer';

const WINDOW_MS = 24 * 3_600_000;

/** A create request as the route validated it: exactly one of `inputFileId` and `requests`. */
export interface CreateBatchInput {
  readonly endpoint: BatchEndpoint;
  readonly inputFileId?: string;
  readonly requests?: readonly unknown[];
  readonly completionWindow: string;
  readonly metadata: Record<string, string> | null;
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
  ) {}

  async create(owner: FileOwner, input: CreateBatchInput): Promise<BatchObject> {
    const parsed = await parseBatchInput(await this.source(owner, input), input.endpoint);
    const { items, errors } = this.resolve(parsed.lines);
    const allErrors = [...parsed.errors, ...errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const providers = new Set(items.map((item) => item.provider));
    const createdAt = Date.now();
    const fields = {
      id: generateId('batch_'),
      endpoint: input.endpoint,
      inputFileId: input.inputFileId ?? null,
      completionWindow: input.completionWindow,
      metadata: input.metadata,
      createdAt: Math.floor(createdAt / 1000),
      expiresAt: Math.floor((createdAt + WINDOW_MS) / 1000),
      provider: providers.size === 1 ? [...providers][0] : null,
      mode: 'emulated' as const,
    };
    const total = parsed.lines.length + parsed.errors.length;
    const shell = newBatchObject(fields, total);
    const failed = allErrors.length > 0;
    const body = failed ? failedBody(shell, allErrors) : withStatus(shell, 'in_progress');
    const batch: StoredBatch = {
      id: fields.id,
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt),
      status: String(body.status),
      mode: 'emulated',
      provider: fields.provider,
      endpoint: input.endpoint,
      keyId: owner.keyId,
      userPath: owner.userPath,
      nativeId: null,
      generation: 0,
      totalCount: failed ? total : items.length,
      completedCount: 0,
      failedCount: 0,
      expiresAt: new Date(createdAt + WINDOW_MS),
      body,
    };
    await this.batches.create(batch, failed ? [] : items);
    if (!failed) await this.resumer.enqueue(batch.id, 0);
    return presentBatch(batch);
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

  /** Each line's model through the router (aliases, fallbacks); an unknown model is that line's error. */
  private resolve(lines: readonly BatchLine[]): { items: NewBatchItem[]; errors: BatchLineError[] } {
    const providerOf = new Map<string, string | undefined>();
    const items: NewBatchItem[] = [];
    const errors: BatchLineError[] = [];
    for (const line of lines) {
      const model = String(line.body.model);
      if (!providerOf.has(model)) providerOf.set(model, this.firstProvider(model));
      const provider = providerOf.get(model);
      if (provider === undefined) {
        errors.push({ code: 'model_not_found', message: `The model '${model}' does not exist or is not served by this gateway.`, param: 'body.model', line: line.line });
        continue;
      }
      items.push({ position: items.length, customId: line.customId, provider, request: line.body });
    }
    return { items, errors };
  }

  private firstProvider(model: string): string | undefined {
    try {
      return this.router.plan(model).targets[0].provider.name;
    } catch (error) {
      if (error instanceof GatewayError && error.kind === 'model_not_found') return undefined;
      throw error;
    }
  }
}
