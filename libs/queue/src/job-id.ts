import { InvalidJobIdError } from './invalid-job-id.error';

/**
 * Enforces BullMQ's rules for custom ids in both runners, so an id that works embedded also works
 * on Redis: non-empty, no ':' (BullMQ's key separator) and not a plain integer (reserved for
 * BullMQ's own generated ids).
 */
export function assertValidJobId(jobId: string): void {
  if (jobId.length === 0) throw new InvalidJobIdError(jobId, 'must not be empty');
  if (jobId.includes(':')) throw new InvalidJobIdError(jobId, "must not contain ':'");
  if (`${parseInt(jobId, 10)}` === jobId) throw new InvalidJobIdError(jobId, 'must not be a plain integer');
}
