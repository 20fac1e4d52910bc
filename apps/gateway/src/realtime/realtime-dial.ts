import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { UpstreamFailure } from '@app/providers';

export interface DialOptions {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Provider instance name, for errors. */
  readonly provider: string;
  /** Bounds TCP + TLS + the upgrade answer. */
  readonly timeoutMs: number;
  readonly maxPayload: number;
  readonly signal: AbortSignal;
}

/**
 * Opens the upstream WebSocket; resolves once it is open. Failures are UpstreamFailures, so the
 * provider's retries, circuit breaker and the plan's failover treat a refused or unreachable
 * realtime handshake as they treat any other upstream call: 'status' (the upstream answered the
 * upgrade with an HTTP error), 'timeout', or 'connect'. The socket comes back paused.
 */
export function dialUpstream(options: DialOptions): Promise<WebSocket> {
  const socket = new WebSocket(options.url, {
    headers: options.headers,
    handshakeTimeout: options.timeoutMs,
    maxPayload: options.maxPayload,
    // Compressing a relay means inflating and deflating every audio frame; the gateway offers none.
    perMessageDeflate: false,
    followRedirects: false,
  });
  return new Promise((resolve, reject) => {
    const abort = () => {
      socket.terminate();
      reject(new UpstreamFailure('aborted', options.provider, 'The client left before the upstream answered.'));
    };
    const settle = () => options.signal.removeEventListener('abort', abort);
    options.signal.addEventListener('abort', abort, { once: true });
    socket.once('open', () => {
      // Nothing listens for frames until the relay starts: they wait in the socket (it resumes it).
      socket.pause();
      settle();
      resolve(socket);
    });
    socket.once('unexpected-response', (request, response: IncomingMessage) => {
      settle();
      response.resume();
      request.destroy();
      reject(refused(options.provider, response));
    });
    // `on`, not `once`: a destroyed handshake may report a second error, which must not go unheard.
    socket.on('error', (error: Error & { code?: string }) => {
      settle();
      const timeout = /timed out/i.test(error.message);
      const detail = error.code ?? (timeout ? 'handshake timeout' : 'handshake failed');
      reject(
        new UpstreamFailure(timeout ? 'timeout' : 'connect', options.provider, `Upstream provider '${options.provider}' could not be reached (${detail}).`, {
          status: timeout ? 504 : 502,
          cause: error,
        }),
      );
    });
  });
}

/** An HTTP answer instead of a 101: the upstream's status drives retries (429, 5xx) and the client's close code. */
function refused(provider: string, response: IncomingMessage): UpstreamFailure {
  const status = response.statusCode ?? 502;
  const retryAfter = Number(response.headers['retry-after']);
  return new UpstreamFailure('status', provider, `Upstream provider '${provider}' refused the realtime session with HTTP ${status}.`, {
    // A 401/403 is about the gateway's provider credential, not the client's key: the client sees a bad gateway.
    status: status === 429 || status === 404 || status === 400 ? status : 502,
    upstreamStatus: status,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
  });
}
