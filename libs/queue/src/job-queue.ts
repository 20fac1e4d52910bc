import type { JobPayloads } from './job-contracts';
import type { QueueName } from './queue-names';

/** Injection token of the process-wide {@link JobQueue} producer. */
export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** Per-job options of {@link JobQueue.add}. */
export interface AddJobOptions {
  /**
   * Deterministic id making the add idempotent: while a job with this id is known (waiting,
   * running, or kept after finishing) adding it again returns the same id and creates nothing.
   * No ':' and not a plain integer (BullMQ rules, enforced in both runners).
   */
  readonly jobId?: string;
  /** Run no earlier than this many milliseconds from now. */
  readonly delayMs?: number;
}

/**
 * Producer side of the background jobs: BullMQ on Redis when REDIS_URL is set, the in-process
 * runner otherwise. Retries, backoff and retention come from config, not from callers.
 */
export interface JobQueue {
  /**
   * Enqueues one job and resolves with its id. Rejects with InvalidJobIdError for a bad id, and
   * with QueueUnavailableError, within a few seconds, when the queue is unavailable (Redis down or
   * unresponsive, or this process shutting down): callers that do not await it must still catch.
   */
  add<N extends keyof JobPayloads>(queue: QueueName, name: N, data: JobPayloads[N], options?: AddJobOptions): Promise<string>;
}
