/** Every BullMQ queue the gateway produces to and the worker consumes from. */
export enum QueueName {
  /** Housekeeping: retention cleanup and other scheduled chores. */
  Maintenance = 'switchyard-maintenance',
  /** Background Responses API responses (`background: true`) and their stale-run sweep. */
  Responses = 'switchyard-responses',
  /** Files API housekeeping: expired files and abandoned uploads. */
  Files = 'switchyard-files',
  /** Emulated batches (`/v1/batches` run by Switchyard's workers), their resume sweep and retention. */
  Batches = 'switchyard-batches',
}

/** Job names within the queues. */
export enum JobName {
  UsageRetention = 'usage-retention',
  BackgroundResponse = 'background-response',
  StaleResponsesSweep = 'stale-responses-sweep',
  ResponsesRetention = 'responses-retention',
  AuditRetention = 'audit-retention',
  FilesRetention = 'files-retention',
  BatchRun = 'batch-run',
  BatchesSweep = 'batches-sweep',
  BatchesRetention = 'batches-retention',
}
