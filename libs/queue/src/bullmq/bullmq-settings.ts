import type { AppConfig, QueueConfig } from '@app/config';
import type { DefaultJobOptions, RedisOptions } from 'bullmq';

const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Longest a producer waits on Redis for one command or one add. A request waiting on an enqueue
 * (a background response) answers 503 after this instead of hanging on an unresponsive Redis.
 */
export const PRODUCER_TIMEOUT_MS = 5_000;

/**
 * BullMQ key prefix: the deployment's REDIS_KEY_PREFIX without its trailing ':' (BullMQ adds its
 * own separator), so deployments sharing a Redis keep separate queues, as their caches are.
 */
export function bullPrefix(config: AppConfig): string {
  return config.cache.keyPrefix.replace(/:+$/, '') || 'switchyard';
}

/**
 * Connection of the producer queues. Without an offline queue an add fails at once while Redis is
 * down instead of piling up pending promises in a gateway (BullMQ still waits for the first
 * connection at boot); the command timeout covers a Redis that accepts commands but never answers.
 */
export function producerConnection(redisUrl: string): RedisOptions {
  return { url: redisUrl, connectTimeout: CONNECT_TIMEOUT_MS, commandTimeout: PRODUCER_TIMEOUT_MS, enableOfflineQueue: false, connectionName: 'switchyard-queue' };
}

/** Connection of the workers: BullMQ's defaults (wait and retry forever), right for a consumer. */
export function workerConnection(redisUrl: string): RedisOptions {
  return { url: redisUrl, connectTimeout: CONNECT_TIMEOUT_MS, connectionName: 'switchyard-worker' };
}

/** Retries and retention from config, stored on every job (BullMQ reads them per job). */
export function defaultJobOptions(queue: QueueConfig): DefaultJobOptions {
  return {
    attempts: queue.attempts,
    backoff: { type: 'exponential', delay: queue.backoffMs },
    removeOnComplete: { count: queue.keepCompleted },
    removeOnFail: { count: queue.keepFailed },
  };
}
