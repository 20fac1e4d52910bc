import type { QueueConfig } from '@app/config';

/**
 * Delay before the next try after `failedAttempt` (1-based) failed: backoffMs, 2×, 4×, …, the
 * same exponential formula BullMQ applies, so both runners retry on the same timetable.
 */
export function backoffDelayMs(config: Pick<QueueConfig, 'backoffMs'>, failedAttempt: number): number {
  return Math.round(config.backoffMs * 2 ** (failedAttempt - 1));
}
