import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the upstream received it. */
export interface HandledRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: any;
}

export type UpstreamHandler = (request: HandledRequest, res: ServerResponse) => void;

/**
 * A bare upstream whose answer a test writes by hand, for the ways real servers misbehave that the
 * provider fakes do not script: echoing the request's headers in errors, cutting a body half-way,
 * answering 429 with Retry-After. Every request is recorded; `handle` decides the answer.
 */
export class HandlerUpstream {
  readonly requests: HandledRequest[] = [];
  handle: UpstreamHandler = (_request, res) => void res.writeHead(500).end();
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => {
        const request = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], headers: req.headers, body: parse(raw) };
        this.requests.push(request);
        this.handle(request, res);
      });
    });
  }

  static async start(): Promise<HandlerUpstream> {
    const upstream = new HandlerUpstream(createServer());
    await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
    return upstream;
  }

  /** `http://127.0.0.1:<port>` (no path). */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Sends JSON with an exact content-length. */
export function sendJsonReply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Starts a 200 answer, writes `written`, then destroys the socket: a reset mid-body. A JSON answer
 * announces its full length, so the break is unambiguous to any HTTP client.
 */
export function cutAfter(res: ServerResponse, contentType: string, written: string, announcedLength?: number): void {
  const headers: Record<string, string | number> = { 'content-type': contentType };
  if (announcedLength !== undefined) headers['content-length'] = announcedLength;
  res.writeHead(200, headers);
  res.write(written, () => setImmediate(() => res.socket?.destroy()));
}

function parse(raw: string): any {
  try {
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}
