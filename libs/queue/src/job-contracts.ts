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

/** Maps each job name to its payload type, so producers and processors agree at compile time. */
export interface JobPayloads {
  [JobName.UsageRetention]: UsageRetentionJobData;
  [JobName.BackgroundResponse]: BackgroundResponseJobData;
  [JobName.StaleResponsesSweep]: StaleResponsesSweepJobData;
  [JobName.ResponsesRetention]: ResponsesRetentionJobData;
  [JobName.AuditRetention]: AuditRetentionJobData;
  [JobName.FilesRetention]: FilesRetentionJobData;
}
