/**
 * The queue cannot take a job now (Redis down or unresponsive, or this process shutting down): the
 * job was not added, or may not have been, and the caller should undo what it prepared for it.
 */
export class QueueUnavailableError extends Error {
  constructor(
    readonly queue: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}
