import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the upstream saw it, updated live while its body arrives. */
export interface RecordedCall {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly chunks: Buffer[];
  /** Date.now() when the first body byte arrived. */
  firstByteAt?: number;
  /** True once the whole request body has arrived. */
  complete: boolean;
  /** True when the connection closed before the upstream finished its answer. */
  aborted: boolean;
  /** Resolves when the request body has fully arrived. */
  readonly bodyDone: Promise<void>;
}

/** Scripts one answer; it runs as soon as the request headers arrive, before the body is read. */
export type Responder = (call: RecordedCall, res: ServerResponse) => void | Promise<void>;

/**
 * A node:http upstream that records every request (method, URL, headers, body bytes as they
 * arrive) and answers with scripted responders, for the passthrough suites: nothing here knows a
 * provider's API, which is the point of a passthrough.
 */
export class RecordingUpstream {
  readonly calls: RecordedCall[] = [];
  private readonly queue: Responder[] = [];
  private readonly sockets = new Set<Socket>();
  private fallback: Responder;

  private constructor(
    private readonly server: Server,
    private readonly defaultResponder: Responder,
  ) {
    this.fallback = defaultResponder;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
  }

  static async start(defaultResponder: Responder = replyJson(200, { ok: true })): Promise<RecordingUpstream> {
    const upstream = new RecordingUpstream(createServer(), defaultResponder);
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers for the next requests, first in first out; the default answers the rest. */
  enqueue(...responders: Responder[]): void {
    this.queue.push(...responders);
  }

  reset(): void {
    this.calls.length = 0;
    this.queue.length = 0;
    this.fallback = this.defaultResponder;
  }

  /** Polls until `predicate` holds; rejects after `timeoutMs` so a broken feature fails, not hangs. */
  async waitFor(what: string, predicate: () => boolean, timeoutMs = 3_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    let markDone!: () => void;
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      chunks: [],
      complete: false,
      aborted: false,
      bodyDone: new Promise<void>((resolve) => (markDone = resolve)),
    };
    this.calls.push(call);
    req.on('data', (chunk: Buffer) => {
      call.firstByteAt ??= Date.now();
      call.chunks.push(chunk);
    });
    req.on('end', () => {
      call.complete = true;
      markDone();
    });
    res.once('close', () => {
      if (!res.writableFinished) call.aborted = true;
    });
    const responder = this.queue.shift() ?? this.fallback;
    Promise.resolve(responder(call, res)).catch(() => res.destroy());
  }
}

/** The body bytes a call carried. */
export function bodyOf(call: RecordedCall): Buffer {
  return Buffer.concat(call.chunks);
}

/** Replies once the request body has arrived, with a JSON (or raw string) body and extra headers. */
export function replyJson(status: number, body: unknown, headers: Record<string, string | string[]> = {}): Responder {
  return async (call, res) => {
    await call.bodyDone;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(call.method === 'HEAD' ? undefined : text);
  };
}

/**
 * Streams SSE `data:` events; before each event after the first it awaits `gate(index)` when given,
 * so a test can hold the stream until it has seen the previous event arrive.
 */
export function replySse(events: string[], gate?: (index: number) => Promise<void>): Responder {
  return async (call, res) => {
    await call.bodyDone;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (let index = 0; index < events.length; index++) {
      if (index > 0 && gate) await gate(index);
      if (res.destroyed) return;
      res.write(`data: ${events[index]}\n\n`);
    }
    res.end();
  };
}
