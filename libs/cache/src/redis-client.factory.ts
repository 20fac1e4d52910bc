import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/** Time allowed to open a TCP connection; also the bound on waiting for Redis at boot. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** A connected but unresponsive Redis must not hold a request longer than this. */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;
const RECONNECT_MAX_DELAY_MS = 2_000;
// After a failed connection ioredis still arms a timer (2 s by default) before destroying the dead
// socket on disconnect, which holds the process open at shutdown for no benefit.
const DISCONNECT_TIMEOUT_MS = 300;

/** The URL with its password (and user name) masked, safe for logs and errors. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    return parsed.toString();
  } catch {
    return '[unparseable redis url]';
  }
}

/**
 * An ioredis client tuned for the request path: when Redis is down, commands fail at once
 * (no offline queue, one retry per request, bounded connect and command time) instead of hanging
 * requests, while the client keeps reconnecting in the background with a capped backoff.
 * ioredis prefixes every key, including those of Lua scripts, with `keyPrefix`.
 */
export function createCacheRedisClient(url: string, keyPrefix: string): Redis {
  // Required on first use, not imported: an embedded gateway (no REDIS_URL) never loads ioredis.
  const { default: IORedis } = require('ioredis') as typeof import('ioredis');
  const client = new IORedis(url, {
    keyPrefix,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, RECONNECT_MAX_DELAY_MS),
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    connectionName: 'switchyard-cache',
  });
  logConnectionChanges(client, redactRedisUrl(url));
  return client;
}

/**
 * Logs transitions only (lost, restored), not every failed reconnect attempt, so a Redis outage
 * does not flood the logs. The listener also keeps ioredis from reporting unhandled errors.
 */
function logConnectionChanges(client: Redis, safeUrl: string): void {
  const logger = new Logger('RedisCache');
  let healthy = true;
  client.on('ready', () => {
    if (!healthy) logger.log(`Redis connection restored (${safeUrl})`);
    healthy = true;
  });
  client.on('error', (error: Error) => {
    if (!healthy) return;
    healthy = false;
    logger.warn(`Redis unreachable (${safeUrl}): ${error.message}; cache operations fail until it returns`);
  });
}
