import type { ServerConfig } from './app-config';
import { ConfigError } from './config-error';
import { type Env, readDurationMs } from './env-parsers';

/**
 * Reads the client-side timeouts of the gateway's HTTP server. Node's defaults let a client hold a
 * connection for 300 s by dripping its request, and close idle keep-alive sockets after 5 s, before
 * a load balancer's usual 60 s idle timeout (which then reuses a socket the gateway is closing).
 */
export function readServerConfig(env: Env): ServerConfig {
  const headersTimeoutMs = readPositiveDuration(env, 'SERVER_HEADERS_TIMEOUT', 30_000);
  // Bounds receiving the request only: Node stops the clock once the body is in, so long
  // responses and streams are unaffected.
  const requestTimeoutMs = readPositiveDuration(env, 'SERVER_REQUEST_TIMEOUT', 60_000);
  const keepAliveTimeoutMs = readPositiveDuration(env, 'SERVER_KEEPALIVE_TIMEOUT', 65_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('SERVER_HEADERS_TIMEOUT', `must not exceed SERVER_REQUEST_TIMEOUT (${requestTimeoutMs} ms), got ${headersTimeoutMs} ms`);
  }
  return { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs };
}

// 0 would mean "no timeout" to Node, which is the hold-forever behaviour these settings exist to prevent.
function readPositiveDuration(env: Env, name: string, fallbackMs: number): number {
  const value = readDurationMs(env, name, fallbackMs);
  if (value < 1) throw new ConfigError(name, 'must be greater than zero');
  return value;
}
