/** How a batch ended, in OpenAI's status words. */
export type NativeEnd = 'completed' | 'cancelled' | 'expired' | 'failed';

/** A provider batch's state, mapped to what an OpenAI Batch object shows. */
export interface NativeSnapshot {
  /** OpenAI's status while it runs (`validating`, `in_progress`, `cancelling`), or its end. */
  readonly status: string;
  readonly completed: number;
  readonly failed: number;
  /** Set once the provider batch has ended: its results can be read. */
  readonly ended?: NativeEnd;
  /** OpenAI-dialect providers: their output and error files (provider file ids). */
  readonly outputFileId?: string | null;
  readonly errorFileId?: string | null;
  /** A batch the provider failed (OpenAI `failed`): its `errors.data`, to show the client. */
  readonly errors?: readonly Record<string, unknown>[];
}

// A provider's `finalizing` shows as `in_progress`: Switchyard's own `finalizing` means it is
// bringing the results home, and refreshes treat that status differently.
const OPENAI_RUNNING = new Set(['validating', 'in_progress', 'cancelling']);
const OPENAI_ENDED = new Set<NativeEnd>(['completed', 'cancelled', 'expired', 'failed']);

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : 0);

/** An OpenAI Batch object (OpenAI, Azure OpenAI, Groq) → snapshot. Unknown statuses read as in_progress. */
export function fromOpenAIBatch(batch: Record<string, unknown>): NativeSnapshot {
  const status = String(batch.status);
  const counts = (batch.request_counts ?? {}) as Record<string, unknown>;
  const base = { completed: count(counts.completed), failed: count(counts.failed) };
  if (OPENAI_ENDED.has(status as NativeEnd)) {
    const errors = (batch.errors as { data?: unknown } | null | undefined)?.data;
    return {
      ...base,
      status,
      ended: status as NativeEnd,
      outputFileId: typeof batch.output_file_id === 'string' ? batch.output_file_id : null,
      errorFileId: typeof batch.error_file_id === 'string' ? batch.error_file_id : null,
      errors: Array.isArray(errors) ? (errors as Record<string, unknown>[]) : undefined,
    };
  }
  return { ...base, status: OPENAI_RUNNING.has(status) ? status : 'in_progress' };
}

/**
 * An Anthropic Message Batch → snapshot. `in_progress` and `canceling` map directly; `ended` becomes
 * `cancelled` when a cancel was initiated or requests were canceled, `expired` when requests expired
 * (what succeeded before is still in the output, as OpenAI does for expired batches), else `completed`.
 */
export function fromAnthropicBatch(batch: Record<string, unknown>): NativeSnapshot {
  const counts = (batch.request_counts ?? {}) as Record<string, unknown>;
  const base = { completed: count(counts.succeeded), failed: count(counts.errored) };
  switch (batch.processing_status) {
    case 'canceling':
      return { ...base, status: 'cancelling' };
    case 'ended': {
      const cancelled = batch.cancel_initiated_at != null || count(counts.canceled) > 0;
      const ended: NativeEnd = cancelled ? 'cancelled' : count(counts.expired) > 0 ? 'expired' : 'completed';
      return { ...base, status: ended, ended };
    }
    default:
      return { ...base, status: 'in_progress' };
  }
}
