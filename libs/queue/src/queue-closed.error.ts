import { QueueUnavailableError } from './queue-unavailable.error';

/** Thrown by the in-process runner for jobs added after shutdown began. */
export class QueueClosedError extends QueueUnavailableError {
  constructor(queue: string) {
    super(queue, `Queue ${queue} is shutting down and takes no more jobs`);
    this.name = 'QueueClosedError';
  }
}
