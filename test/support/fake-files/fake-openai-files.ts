import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';

/** A file the fake holds, as OpenAI's FileObject plus its bytes. */
export interface FakeFile {
  readonly object: {
    id: string;
    object: 'file';
    bytes: number;
    created_at: number;
    expires_at: number | null;
    filename: string;
    purpose: string;
    status: 'processed';
    status_details: null;
  };
  readonly content: Buffer;
  readonly contentType: string;
}

/** What the fake saw of one request. */
export interface FakeFilesRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** Form fields of an upload, JSON bodies of other calls. */
  readonly fields?: Record<string, string>;
  readonly json?: Record<string, unknown>;
}

/**
 * OpenAI's Files API as its reference describes it (POST /v1/files multipart with `file` and
 * `purpose`; GET /v1/files/{id}; GET /v1/files/{id}/content; DELETE /v1/files/{id}; 404 as
 * `No such File object`), plus a Chat Completions endpoint that records what it received, so a
 * test can see files inlined into a chat request.
 */
export class FakeOpenAIFiles {
  readonly files = new Map<string, FakeFile>();
  readonly requests: FakeFilesRequest[] = [];

  private constructor(private readonly server: Server) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.route(req, res));
  }

  static async start(): Promise<FakeOpenAIFiles> {
    const fake = new FakeOpenAIFiles(createServer());
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** The base URL a provider is configured with (`…/v1`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/v1/files') return this.upload(req, res);
    if (req.method === 'POST' && path === '/v1/chat/completions') return this.chat(req, res);
    const match = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const file = match ? this.files.get(match[1]) : undefined;
    if (!match || !file) return send(res, 404, { error: { message: `No such File object: ${match?.[1] ?? path}`, type: 'invalid_request_error', param: 'id', code: null } });
    if (req.method === 'DELETE') {
      this.files.delete(file.object.id);
      return send(res, 200, { id: file.object.id, object: 'file', deleted: true });
    }
    if (match[2]) {
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.content.length });
      return void res.end(file.content);
    }
    send(res, 200, file.object);
  }

  private upload(req: IncomingMessage, res: ServerResponse): void {
    const fields: Record<string, string> = {};
    const parts: Buffer[] = [];
    let filename = 'file';
    let contentType = 'application/octet-stream';
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, stream, info) => {
      filename = info.filename ?? 'file';
      contentType = info.mimeType;
      stream.on('data', (chunk: Buffer) => parts.push(chunk));
    });
    parser.on('close', () => {
      this.requests.push({ method: 'POST', path: '/v1/files', headers: req.headers, fields });
      if (!fields.purpose) return send(res, 400, { error: { message: "Missing required parameter: 'purpose'.", type: 'invalid_request_error', param: 'purpose', code: null } });
      const id = `file-${randomBytes(11).toString('base64url').replace(/[-_]/g, 'x')}`;
      const content = Buffer.concat(parts);
      const object = {
        id,
        object: 'file' as const,
        bytes: content.length,
        created_at: Math.floor(Date.now() / 1000),
        expires_at: null,
        filename,
        purpose: fields.purpose,
        status: 'processed' as const,
        status_details: null,
      };
      this.files.set(id, { object, content, contentType });
      send(res, 200, object);
    });
    req.pipe(parser);
  }

  private chat(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const json = JSON.parse(raw) as Record<string, unknown>;
      this.requests.push({ method: 'POST', path: '/v1/chat/completions', headers: req.headers, json });
      send(res, 200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: json.model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'Read it.' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
      });
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
