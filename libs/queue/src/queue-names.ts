/** Every BullMQ queue the gateway produces to and the worker consumes from. */
export enum QueueName {
  /** Housekeeping: retention cleanup and other scheduled chores. */
  Maintenance = 'switchyard-maintenance',
}

/** Job names within the queues. */
export enum JobName {
  UsageRetention = 'usage-retention',
}
