import type Redis from 'ioredis';

/** Bound on waiting at boot; past it the gateway starts anyway and the policies fail open or closed. */
const READY_TIMEOUT_MS = 2_000;

/**
 * Resolves once the client is connected (or after the bound). The client has no offline queue, so
 * a command sent before the connection is up would fail: boot waits here instead of the first requests.
 */
export function redisReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, READY_TIMEOUT_MS);
    client.once('ready', done);
  });
}
