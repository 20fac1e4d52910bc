import type { Readable } from 'node:stream';
import { errors, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { UpstreamConfig } from '@app/config';
import { tracingOn, withTraceparent } from '@app/observability';
import { type FailureReason, UpstreamFailure } from '../resilience/upstream-failure';

export type UpstreamHeaders = Record<string, string>;

export interface UpstreamHttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Dispatcher.ResponseData['body'];
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

const ignoreError = (): void => undefined;

/**
 * Lets go of an upstream body the gateway will not read (any further). undici's destroy() on a
 * body that has not ended emits 'error' (RequestAbortedError) even without an error argument, and
 * so does a later abort of the call; an 'error' event nobody listens to kills the whole process.
 * The listener therefore goes on first and stays. Every abandoned upstream body goes through here.
 */
export function discardBody(body: Readable): void {
  body.on('error', ignoreError);
  body.destroy();
}

/**
 * Reads at most 64 KiB of an upstream error body (enough for any provider's error envelope), then
 * lets the body go. A broken error body still leaves the status code, so read errors are swallowed.
 */
export async function readErrorText(response: UpstreamHttpResponse): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // The status alone still makes a useful error.
  } finally {
    discardBody(response.body);
  }
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
}

/**
 * Reads a whole (small) upstream body, or undefined once it grows past `maxBytes`, in which case
 * the rest is let go: control-plane answers (files, batch objects) read whole, never unbounded.
 */
export async function readBoundedBody(response: UpstreamHttpResponse, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      discardBody(response.body);
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A keep-alive connection pool to one upstream origin, with the gateway's timeouts. Adapters use
 * it to send requests; it turns transport errors into UpstreamFailure so retries and the circuit
 * breaker can reason about them.
 */
export class UpstreamHttp {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(
    private readonly providerName: string,
    baseUrl: string,
    private readonly config: UpstreamConfig,
  ) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: config.poolConnections,
      connectTimeout: config.connectTimeoutMs,
      headersTimeout: config.firstByteTimeoutMs,
      bodyTimeout: config.totalTimeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  /** Sends a request to `<baseUrl><path>`; resolves at response headers, whatever the status. */
  async send(
    method: Dispatcher.HttpMethod,
    path: string,
    headers: UpstreamHeaders,
    body: string | Buffer | Readable | null | undefined,
    signal: AbortSignal,
  ): Promise<UpstreamHttpResponse> {
    try {
      // W3C trace context for the upstream, only when tracing is on (a copy of the headers then).
      const sent = tracingOn() ? withTraceparent(headers) : headers;
      const response = await this.pool.request({ method, path: this.basePath + path, headers: sent, body, signal });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw this.transportFailure(error);
    }
  }

  /** Reads a whole (non-streaming) body; a stall longer than the total timeout fails the call. */
  async readBody(response: UpstreamHttpResponse): Promise<Buffer> {
    try {
      return Buffer.from(await response.body.arrayBuffer());
    } catch (error) {
      throw this.transportFailure(error);
    }
  }

  /** Reads at most 64 KiB of an error body, enough for any provider's error envelope. */
  readErrorBody(response: UpstreamHttpResponse): Promise<string> {
    return readErrorText(response);
  }

  /** Maps undici and abort errors to UpstreamFailure; already-mapped failures pass through. */
  transportFailure(error: unknown): UpstreamFailure {
    if (error instanceof UpstreamFailure) return error;
    const reason = classifyTransportError(error);
    const messages: Record<FailureReason, string> = {
      connect: 'could not be reached',
      reset: 'closed the connection unexpectedly',
      timeout: 'timed out',
      first_byte_timeout: 'did not start answering in time',
      aborted: 'call was cancelled',
      protocol: 'sent an invalid response',
      status: 'failed',
    };
    return new UpstreamFailure(reason, this.providerName, `Upstream provider '${this.providerName}' ${messages[reason]}.`, {
      status: reason === 'timeout' || reason === 'first_byte_timeout' ? 504 : 502,
      cause: error,
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function classifyTransportError(error: unknown): FailureReason {
  if (error instanceof errors.HeadersTimeoutError) return 'first_byte_timeout';
  if (error instanceof errors.BodyTimeoutError) return 'timeout';
  if (error instanceof errors.ConnectTimeoutError) return 'connect';
  if (error instanceof errors.RequestAbortedError) return 'aborted';
  if (error instanceof errors.SocketError) return 'reset';
  const name = (error as { name?: string })?.name;
  if (name === 'AbortError') return 'aborted';
  if (name === 'TimeoutError') return 'timeout';
  const code = (error as { code?: string })?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') return 'connect';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'reset';
  return 'protocol';
}
