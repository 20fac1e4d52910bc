import type { QueueName } from './queue-names';

/** What a processor sees of one job, whichever runner (BullMQ or in-process) delivers it. */
export interface JobContext<T = unknown> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  /** 1 on the first try, 2 on the first retry, … */
  readonly attempt: number;
}

/** A repeating job a processor wants scheduled while a consumer runs. */
export interface ScheduledJob {
  /** Deterministic scheduler id, so replicas upsert one schedule rather than adding many. */
  readonly id: string;
  readonly name: string;
  readonly everyMs: number;
  readonly data: unknown;
}

/**
 * One class per queue, shared by the BullMQ worker app and the embedded in-process runner.
 * Handlers must be idempotent: a job may be delivered more than once.
 */
export interface JobProcessor {
  readonly queue: QueueName;
  process(job: JobContext): Promise<unknown>;
  /** Repeating jobs to keep scheduled while this processor is consumed. */
  schedules?(): ScheduledJob[];
}
