import type { JobName } from './queue-names';

/** Payload of JobName.UsageRetention: delete usage records older than this many days. */
export interface UsageRetentionJobData {
  readonly retentionDays: number;
}

/** Maps each job name to its payload type, so producers and processors agree at compile time. */
export interface JobPayloads {
  [JobName.UsageRetention]: UsageRetentionJobData;
}
