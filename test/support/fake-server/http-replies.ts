import type { IncomingMessage, ServerResponse } from 'node:http';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } as const;

// An array of pairs is the cheapest form writeHead accepts (no header-object bookkeeping).
const jsonHeaders = (length: number): string[] => ['content-type', 'application/json', 'content-length', String(length)];

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  for (const name in headers) res.setHeader(name, headers[name]);
  res.writeHead(status, jsonHeaders(Buffer.byteLength(text)));
  res.end(text);
}

/** Like sendJson, but a string body is sent verbatim as text (e.g. an HTML error page from a proxy). */
export function sendBody(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  if (typeof body !== 'string') return sendJson(res, status, body, headers);
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function writeSseHead(res: ServerResponse): void {
  res.writeHead(200, SSE_HEADERS);
}

/** Writes the chunks (each with its own write), then destroys the socket once the last one is flushed. */
export function writeThenDestroy(req: IncomingMessage, res: ServerResponse, chunks: string[]): void {
  if (chunks.length === 0) {
    res.flushHeaders();
    setImmediate(() => req.socket.destroy());
    return;
  }
  const last = chunks.length - 1;
  for (let index = 0; index < last; index++) res.write(chunks[index]);
  // Waiting for the flush makes the client see the partial answer before the connection dies.
  res.write(chunks[last], () => req.socket.destroy());
}

/**
 * A scripted `{ kind: 'status' }` behaviour: its body (a string verbatim) or else the provider's
 * default error envelope, with Retry-After when one is scripted.
 */
export function sendScriptedStatus(
  res: ServerResponse,
  scripted: { status: number; retryAfter?: string; headers?: Record<string, string>; body?: unknown },
  defaultBody: unknown,
): void {
  const headers: Record<string, string> = { ...scripted.headers, ...(scripted.retryAfter === undefined ? {} : { 'retry-after': scripted.retryAfter }) };
  sendBody(res, scripted.status, scripted.body ?? defaultBody, headers);
}

/** The parsed JSON body; undefined when the body is empty or not JSON (`raw !== ''` then tells them apart). */
export function parseJsonBody(raw: string): any {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** The request target without its query string, as received (percent-encoding kept). */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The request's body parsed as a JSON object; undefined when it is empty or not JSON. */
export function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => resolve(parseJsonBody(raw) as Record<string, unknown> | undefined));
  });
}
