import type { Server } from 'node:http';
import type { ServerConfig } from '@app/config';

/** Node checks the headers/request deadlines on this interval (30 s by default) and never sooner. */
const MIN_CHECK_INTERVAL_MS = 50;
const MAX_CHECK_INTERVAL_MS = 30_000;

/**
 * Applies the client-side timeouts to the gateway's HTTP server; call before listen, because Node
 * starts its deadline checker when the server starts listening. The checker runs at a tenth of the
 * shorter deadline, so a slow client is cut at most ~10% after its deadline rather than up to 30 s late.
 */
export function applyServerTimeouts(server: Server, config: ServerConfig): void {
  server.headersTimeout = config.headersTimeoutMs;
  server.requestTimeout = config.requestTimeoutMs;
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  const shortest = Math.min(config.headersTimeoutMs, config.requestTimeoutMs);
  // A public property of http.Server (read when listening starts), typed only as a constructor option.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
    MAX_CHECK_INTERVAL_MS,
    Math.max(MIN_CHECK_INTERVAL_MS, Math.floor(shortest / 10)),
  );
}
