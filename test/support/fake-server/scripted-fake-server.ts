import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What every fake provider server has in common, so each fake is left with only its provider's
 * semantics (routes, auth, validation, bodies, stream framing, the shape of a recorded request):
 * a node:http server on a free port, the requests it recorded, a first-in-first-out queue of
 * scripted behaviours with a default, and a close() that cancels scripted delays and destroys
 * open sockets, so a `hang` behaviour never outlives its suite.
 *
 * Everything here is synchronous per request: the fake OpenAI upstream built on it is driven at
 * thousands of requests per second by the benchmark.
 */
export abstract class ScriptedFakeServer<Behaviour, Recorded> {
  /** Every request received, in order; subclasses decide the shape and when to record. */
  readonly requests: Recorded[] = [];
  protected readonly server: Server = createServer();
  /** `http://<host>:<port>` once listening; each fake exposes it under its own getter name. */
  protected origin = '';
  /** Behaviour used when the queue is empty; fakes that offer setDefault() assign it. */
  protected fallback: Behaviour;
  private readonly defaultBehaviour: Behaviour;
  private readonly queue: Behaviour[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing?: Promise<void>;

  protected constructor(defaultBehaviour: Behaviour) {
    this.defaultBehaviour = defaultBehaviour;
    this.fallback = defaultBehaviour;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the shared listener below is a plain function: its own `this` is the response
    const server = this;
    // One shared listener (no closure per request): the bench runs this path at full speed.
    const closed = function (this: ServerResponse) {
      if (!this.writableFinished) server.abortedResponses++;
    };
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      res.once('close', closed);
      this.readBody(req, res);
    });
  }

  /** Responses whose connection closed before they were finished (the client, e.g. the gateway, aborted). */
  abortedResponses = 0;

  /** Connections open right now. */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Queues behaviours for the next scripted requests, first in first out. */
  enqueue(...behaviours: Behaviour[]): void {
    this.queue.push(...behaviours);
  }

  /** Clears the queue and the recorded requests (same array, emptied) and restores the default. */
  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.fallback = this.defaultBehaviour;
  }

  /** Stops listening, destroys open sockets (hanging requests included) and cancels pending delays. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  /** Answers one request, called once its whole body has arrived (as UTF-8 text). */
  protected abstract route(req: IncomingMessage, res: ServerResponse, rawBody: string): void;

  /** The behaviour for the request being answered: the next queued one, else the default. */
  protected nextBehaviour(): Behaviour {
    return this.queue.shift() ?? this.fallback;
  }

  /** Listens (a free port on 127.0.0.1 unless told otherwise) and sets `origin`. */
  protected async listen(port = 0, host = '127.0.0.1'): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    // A wildcard address is not something a client can dial; loopback reaches it.
    const wildcard = address.address === '0.0.0.0' || address.address === '::';
    const name = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.origin = `http://${name}:${address.port}`;
    return this;
  }

  /** Runs `action` after `ms` (now when `ms` is 0), on a timer that close() cancels. */
  protected after(ms: number, action: () => void): void {
    if (ms <= 0) return action();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        action();
      } catch {
        // The socket died during the delay; nothing left to answer.
      }
    }, ms);
    this.timers.add(timer);
  }

  /** Writes one chunk per delay, then ends; stops when the client goes away, as a provider stops generating. */
  protected pace(res: ServerResponse, chunks: readonly string[], delayMs: number): void {
    let index = 0;
    const writeNext = (): void => {
      if (res.destroyed) return;
      res.write(chunks[index++]);
      if (index === chunks.length) return void res.end();
      this.after(delayMs, writeNext);
    };
    writeNext();
  }

  private readBody(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => this.route(req, res, raw));
    req.on('error', () => req.socket.destroy());
  }
}
