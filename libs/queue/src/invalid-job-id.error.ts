/** Thrown when a caller-chosen job or scheduler id breaks BullMQ's id rules. */
export class InvalidJobIdError extends Error {
  constructor(
    readonly jobId: string,
    reason: string,
  ) {
    super(`Invalid job id "${jobId}": ${reason}`);
    this.name = 'InvalidJobIdError';
  }
}
