/** A batch as the engine reads and writes it (see BatchEntity). */
export interface StoredBatch {
  readonly id: string;
  readonly createdAt: Date;
  readonly status: string;
  readonly mode: 'native' | 'emulated';
  readonly provider: string | null;
  readonly endpoint: string;
  readonly keyId: string | null;
  readonly userPath: string | null;
  readonly nativeId: string | null;
  readonly generation: number;
  readonly totalCount: number;
  readonly completedCount: number;
  readonly failedCount: number;
  readonly expiresAt: Date;
  readonly updatedAt: Date;
  /** The OpenAI Batch object. */
  readonly body: Record<string, unknown>;
  /** A native batch's estimate charged ahead to its owner's budgets, until its results release it (null: none, or released). */
  readonly budgetCharge: BatchBudgetCharge | null;
}

/** A cost charged to budgets ahead of the run: the amount, and each budget and period it went to. */
export interface BatchBudgetCharge {
  readonly micros: number;
  readonly periods: ReadonlyArray<{ readonly budgetId: string; readonly periodStartMs: number }>;
}

/** What a conditional update of a batch changes. */
export interface BatchPatch {
  readonly status?: string;
  readonly body?: Record<string, unknown>;
  readonly nativeId?: string | null;
  readonly provider?: string | null;
  readonly completedCount?: number;
  readonly failedCount?: number;
  readonly totalCount?: number;
}

/**
 * Whose batches a query sees, as for files: a caller with a user path sees that user path's
 * batches; one without sees only those its own key created without a user path.
 */
export interface BatchOwnerScope {
  readonly keyId: string | null;
  readonly userPath: string | null;
}

/** One page of batches, newest first. */
export interface BatchPage {
  readonly batches: StoredBatch[];
  readonly hasMore: boolean;
}

/** One request line of an emulated batch, as stored at creation. */
export interface NewBatchItem {
  readonly position: number;
  readonly customId: string;
  readonly provider: string;
  readonly request: Record<string, unknown>;
}

/** An item a worker claimed: it holds the lease until it records an outcome or the lease runs out. */
export interface ClaimedBatchItem extends NewBatchItem {
  /** Tries before this one. */
  readonly attempts: number;
}

/** The final outcome of one item, written in the same statement that ends its lease. */
export interface BatchItemOutcome {
  readonly position: number;
  readonly status: 'succeeded' | 'failed';
  readonly statusCode: number | null;
  readonly response: unknown;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly upstreamRequestId: string | null;
}

/** The outcome of one native batch item, from the provider's results (`cancelled`/`expired`: never run). */
export interface NativeBatchItemOutcome extends Omit<BatchItemOutcome, 'status'> {
  readonly status: 'succeeded' | 'failed' | 'cancelled' | 'expired';
}

/** A stored item with its outcome (results route, output files). */
export interface BatchItemResult {
  readonly position: number;
  readonly customId: string;
  readonly status: string;
  readonly statusCode: number | null;
  readonly response: unknown;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly upstreamRequestId: string | null;
}

/** Items of one batch by state. */
export interface BatchItemCounts {
  readonly pending: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly expired: number;
}
