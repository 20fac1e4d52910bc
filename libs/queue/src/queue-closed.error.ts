/** Thrown by the in-process runner for jobs added after shutdown began. */
export class QueueClosedError extends Error {
  constructor(readonly queue: string) {
    super(`Queue ${queue} is shutting down and takes no more jobs`);
    this.name = 'QueueClosedError';
  }
}
