import type { StoredBatch } from '@app/storage';
import type { BatchLineError } from './batch-lines';

/** The OpenAI Batch object as stored in `batches.body` (plus Switchyard's `provider` and `mode`). */
export type BatchObject = Record<string, unknown>;

export interface NewBatchFields {
  readonly id: string;
  readonly endpoint: string;
  readonly inputFileId: string | null;
  readonly completionWindow: string;
  readonly metadata: Record<string, string> | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly provider: string | null;
  readonly mode: 'native' | 'emulated';
}

/** A batch as OpenAI shows it right after creation, every later timestamp still null. */
export function newBatchObject(fields: NewBatchFields, total: number): BatchObject {
  return {
    id: fields.id,
    object: 'batch',
    endpoint: fields.endpoint,
    errors: null,
    input_file_id: fields.inputFileId,
    completion_window: fields.completionWindow,
    status: 'validating',
    output_file_id: null,
    error_file_id: null,
    created_at: fields.createdAt,
    in_progress_at: null,
    expires_at: fields.expiresAt,
    finalizing_at: null,
    completed_at: null,
    failed_at: null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    request_counts: { total, completed: 0, failed: 0 },
    metadata: fields.metadata,
    provider: fields.provider,
    mode: fields.mode,
  };
}

/** The body after moving to `status`, stamping its `<status>_at` timestamp. */
export function withStatus(body: BatchObject, status: string, extra: BatchObject = {}): BatchObject {
  const now = Math.floor(Date.now() / 1000);
  const stamp = `${status}_at`;
  return { ...body, ...extra, status, ...(stamp in body ? { [stamp]: now } : {}) };
}

/** A batch failed at validation, with OpenAI's `errors` list of per-line problems. */
export function failedBody(body: BatchObject, errors: readonly BatchLineError[]): BatchObject {
  return withStatus(body, 'failed', { errors: { object: 'list', data: errors } });
}

/** The Batch object a client sees: the stored body with the live status and counters of its row. */
export function presentBatch(batch: StoredBatch): BatchObject {
  return {
    ...batch.body,
    status: batch.status,
    request_counts: { total: batch.totalCount, completed: batch.completedCount, failed: batch.failedCount },
  };
}
