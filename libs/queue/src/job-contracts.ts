import type { JobName } from './queue-names';

/** Payload of JobName.UsageRetention: delete usage records older than this many days. */
export interface UsageRetentionJobData {
  readonly retentionDays: number;
}

/** Payload of JobName.BackgroundResponse: run the stored (queued) response with this id. */
export interface BackgroundResponseJobData {
  readonly responseId: string;
}

/** Payload of JobName.StaleResponsesSweep: fail background responses stuck in_progress this long. */
export interface StaleResponsesSweepJobData {
  readonly staleAfterMs: number;
}

/** Payload of JobName.ResponsesRetention: delete finished responses older than this many days. */
export interface ResponsesRetentionJobData {
  readonly retentionDays: number;
}

/** Payload of JobName.AuditRetention: delete audit entries older than this many days. */
export interface AuditRetentionJobData {
  readonly retentionDays: number;
}

/** Payload of JobName.FilesRetention: delete expired files, and uploads incomplete for this long. */
export interface FilesRetentionJobData {
  readonly staleUploadMs: number;
}

/**
 * Payload of JobName.BatchRun: run the emulated batch with this id. `generation` is the batch's run
 * generation when enqueued; a run whose batch moved on to a later generation (resumed by the sweep)
 * stops, so one run drives a batch at a time.
 */
export interface BatchRunJobData {
  readonly batchId: string;
  readonly generation: number;
}

/** Payload of JobName.BatchesSweep: resume emulated batches without progress for this long. */
export interface BatchesSweepJobData {
  readonly staleAfterMs: number;
}

/** Payload of JobName.BatchesRetention: delete finished batches older than this many days. */
export interface BatchesRetentionJobData {
  readonly retentionDays: number;
}

/** Maps each job name to its payload type, so producers and processors agree at compile time. */
export interface JobPayloads {
  [JobName.UsageRetention]: UsageRetentionJobData;
  [JobName.BackgroundResponse]: BackgroundResponseJobData;
  [JobName.StaleResponsesSweep]: StaleResponsesSweepJobData;
  [JobName.ResponsesRetention]: ResponsesRetentionJobData;
  [JobName.AuditRetention]: AuditRetentionJobData;
  [JobName.FilesRetention]: FilesRetentionJobData;
  [JobName.BatchRun]: BatchRunJobData;
  [JobName.BatchesSweep]: BatchesSweepJobData;
  [JobName.BatchesRetention]: BatchesRetentionJobData;
}
