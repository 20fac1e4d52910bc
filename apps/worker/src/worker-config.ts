import { type AppConfig, ConfigError } from '@app/config';

/** The configuration the worker needs on top of the shared one: a Redis to consume from. */
export type WorkerConfig = AppConfig & { readonly redisUrl: string };

/**
 * The worker only consumes BullMQ queues; without REDIS_URL there is nothing for it to do (the
 * gateway then runs jobs in-process), so it refuses to start rather than idle silently.
 */
export function assertWorkerConfig(config: AppConfig): asserts config is WorkerConfig {
  if (!config.redisUrl) {
    throw new ConfigError(
      'REDIS_URL',
      'is required by the worker, which consumes the BullMQ queues on Redis (without Redis the gateway runs jobs in-process and no worker is needed)',
    );
  }
}
