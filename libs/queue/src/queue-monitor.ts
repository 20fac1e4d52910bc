import type { QueueName } from './queue-names';

/**
 * Injection token of the {@link QueueMonitor}; provided where this process consumes BullMQ queues
 * (apps/worker), for its health and metrics endpoints.
 */
export const QUEUE_MONITOR = Symbol('QUEUE_MONITOR');

/** Jobs of one queue by state, as Redis holds them at the time of asking. */
export interface QueueCounts {
  readonly queue: QueueName;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
}

/**
 * What happened to one job in this process: an attempt `completed` or `failed` (with its run time
 * when known), or this process found a job `stalled` (its worker lost the lock, e.g. died) and put
 * it back for another worker to take over.
 */
export type JobEvent = { readonly kind: 'completed' | 'failed'; readonly queue: QueueName; readonly durationMs?: number } | { readonly kind: 'stalled'; readonly queue: QueueName };

/** Read-only view of the consumers, so health and metrics need not touch BullMQ themselves. */
export interface QueueMonitor {
  /** True while every consumer of this process runs; false once one stopped or shutdown began. */
  consuming(): boolean;
  /** Current job counts of every queue (one Redis round trip per queue). */
  counts(): Promise<QueueCounts[]>;
  /** Calls `listener` for every job event from now on. */
  onJobEvent(listener: (event: JobEvent) => void): void;
}
