import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { readJsonBody, sendJson } from '../fake-server/http-replies';

export interface FakeOpenAIBatchesOptions {
  /** Required as `Authorization: Bearer <key>` (OpenAI, Groq) or `api-key` (Azure). */
  readonly apiKey: string;
  /** Path prefix of the API: `/v1` (OpenAI), `/openai/v1` (Groq), `/openai` (Azure, with `api-version`). */
  readonly prefix?: string;
  readonly auth?: 'bearer' | 'api-key';
  /** Served by `GET /models`, so the gateway's router knows them. */
  readonly models?: readonly string[];
}

/** What the fake saw of one request. */
export interface FakeBatchRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly json?: Record<string, unknown>;
  /** An upload's form fields and file text. */
  readonly fields?: Record<string, string>;
  readonly fileText?: string;
}

interface StoredFile {
  readonly object: Record<string, unknown>;
  readonly content: Buffer;
}

const ENDPOINTS = ['/v1/chat/completions', '/v1/embeddings', '/v1/responses', '/v1/completions', '/chat/completions', '/embeddings'];

/**
 * OpenAI's Batch API with the Files API it needs, as OpenAI's reference describes them: upload
 * (`POST /files`, multipart `file` + `purpose`), `POST /batches` {input_file_id, endpoint,
 * completion_window, metadata}, `GET /batches/{id}`, `POST /batches/{id}/cancel`, and the output
 * and error files (`GET /files/{id}/content`) whose lines are `{id, custom_id, response:
 * {status_code, request_id, body}, error}`. A batch moves one step per retrieve (validating →
 * in_progress → completed) unless held; lines whose model contains `fail` are answered 400 in the
 * error file. Foreground `POST /chat/completions` answers too (what emulated batches send). Every
 * request is recorded.
 */
export class FakeOpenAIBatches {
  readonly requests: FakeBatchRequest[] = [];
  readonly files = new Map<string, StoredFile>();
  readonly batches = new Map<string, Record<string, unknown>>();
  /** Keeps batches `in_progress` until cleared. */
  hold = false;
  /** The next `POST /batches` answers this status and OpenAI error body. */
  failNextCreate?: { status: number; message: string };
  private readonly prefix: string;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeOpenAIBatchesOptions,
  ) {
    this.prefix = options.prefix ?? '/v1';
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.route(req, res));
  }

  static async start(options: FakeOpenAIBatchesOptions): Promise<FakeOpenAIBatches> {
    const fake = new FakeOpenAIBatches(createServer(), options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** `http://127.0.0.1:<port>`; a provider's base URL is this plus its prefix. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get baseUrl(): string {
    return this.origin + this.prefix;
  }

  reset(): void {
    this.requests.length = 0;
    this.hold = false;
    this.failNextCreate = undefined;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private authorized(req: IncomingMessage): boolean {
    if (this.options.auth === 'api-key') return req.headers['api-key'] === this.options.apiKey;
    return req.headers.authorization === `Bearer ${this.options.apiKey}`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const path = url.pathname.startsWith(this.prefix) ? url.pathname.slice(this.prefix.length) : url.pathname;
    if (!this.authorized(req)) {
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers });
      return sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    if (req.method === 'POST' && path === '/files') return this.upload(req, res, url);
    const json = req.method === 'POST' ? await readJsonBody(req) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, json });
    if (req.method === 'POST' && path === '/batches') return this.create(res, json ?? {});
    // Foreground calls, which emulated batches make: answered as the batch output would be.
    if (req.method === 'POST' && (path === '/chat/completions' || path === '/embeddings')) return sendJson(res, 200, answer(path, json ?? {}));
    if (req.method === 'GET' && path === '/models') {
      return sendJson(res, 200, { object: 'list', data: (this.options.models ?? []).map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
    }
    const deleted = /^\/files\/([^/]+)$/.exec(path);
    if (req.method === 'DELETE' && deleted) {
      if (!this.files.delete(deleted[1])) return notFound(res, 'File', deleted[1]);
      return sendJson(res, 200, { id: deleted[1], object: 'file', deleted: true });
    }
    const content = /^\/files\/([^/]+)\/content$/.exec(path);
    if (req.method === 'GET' && content) {
      const file = this.files.get(content[1]);
      if (!file) return notFound(res, 'File', content[1]);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length });
      return void res.end(file.content);
    }
    const batch = /^\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    const found = batch ? this.batches.get(batch[1]) : undefined;
    if (!batch || !found) return notFound(res, 'Batch', batch?.[1] ?? path);
    if (req.method === 'POST' && batch[2]) return sendJson(res, 200, this.cancel(found));
    if (req.method === 'GET' && !batch[2]) return sendJson(res, 200, this.advance(found));
    notFound(res, 'route', path);
  }

  private upload(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const fields: Record<string, string> = {};
    const parts: Buffer[] = [];
    let filename = 'file';
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => (fields[name] = value));
    parser.on('file', (_name, stream, info) => {
      filename = info.filename ?? 'file';
      stream.on('data', (chunk: Buffer) => parts.push(chunk));
    });
    parser.on('close', () => {
      const content = Buffer.concat(parts);
      this.requests.push({ method: 'POST', path: url.pathname, query: url.searchParams, headers: req.headers, fields, fileText: content.toString('utf8') });
      if (!fields.purpose) return sendJson(res, 400, { error: { message: "Missing required parameter: 'purpose'.", type: 'invalid_request_error', param: 'purpose', code: null } });
      sendJson(res, 200, this.storeFile(filename, fields.purpose, content));
    });
    req.pipe(parser);
  }

  private storeFile(filename: string, purpose: string, content: Buffer): Record<string, unknown> {
    const id = `file-${randomBytes(12).toString('hex')}`;
    const object = { id, object: 'file', bytes: content.length, created_at: now(), expires_at: null, filename, purpose, status: 'processed', status_details: null };
    this.files.set(id, { object, content });
    return object;
  }

  private create(res: ServerResponse, body: Record<string, unknown>): void {
    if (this.failNextCreate) {
      const { status, message } = this.failNextCreate;
      this.failNextCreate = undefined;
      return sendJson(res, status, { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } });
    }
    const input = typeof body.input_file_id === 'string' ? this.files.get(body.input_file_id) : undefined;
    if (!input || input.object.purpose !== 'batch')
      return sendJson(res, 400, { error: { message: 'Invalid input_file_id.', type: 'invalid_request_error', param: 'input_file_id', code: null } });
    if (!ENDPOINTS.includes(String(body.endpoint)))
      return sendJson(res, 400, { error: { message: 'Invalid endpoint.', type: 'invalid_request_error', param: 'endpoint', code: null } });
    if (body.completion_window !== '24h')
      return sendJson(res, 400, { error: { message: 'Invalid completion_window.', type: 'invalid_request_error', param: 'completion_window', code: null } });
    const lines = input.content.toString('utf8').split('\n').filter(Boolean);
    const id = `batch_${randomBytes(12).toString('hex')}`;
    const batch = {
      id,
      object: 'batch',
      endpoint: body.endpoint,
      errors: null,
      input_file_id: body.input_file_id,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: now(),
      in_progress_at: null,
      expires_at: now() + 86_400,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: lines.length, completed: 0, failed: 0 },
      metadata: body.metadata ?? null,
    };
    this.batches.set(id, batch);
    sendJson(res, 200, batch);
  }

  private cancel(batch: Record<string, unknown>): Record<string, unknown> {
    if (['validating', 'in_progress'].includes(String(batch.status))) Object.assign(batch, { status: 'cancelling', cancelling_at: now() });
    return batch;
  }

  /** One step per retrieve, as a real batch moves while a client polls. */
  private advance(batch: Record<string, unknown>): Record<string, unknown> {
    if (batch.status === 'validating') Object.assign(batch, { status: 'in_progress', in_progress_at: now() });
    else if (batch.status === 'cancelling') Object.assign(batch, { status: 'cancelled', cancelled_at: now() });
    else if (batch.status === 'in_progress' && !this.hold) this.complete(batch);
    return batch;
  }

  private complete(batch: Record<string, unknown>): void {
    const input = this.files.get(String(batch.input_file_id));
    const output: string[] = [];
    const errors: string[] = [];
    for (const text of input?.content.toString('utf8').split('\n').filter(Boolean) ?? []) {
      const line = JSON.parse(text) as { custom_id: string; url: string; body: Record<string, unknown> };
      const requestId = `req_${randomBytes(8).toString('hex')}`;
      const id = `batch_req_${randomBytes(8).toString('hex')}`;
      const model = String(line.body.model);
      if (model.includes('fail')) {
        const body = { error: { message: `The model '${model}' does not exist.`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } };
        errors.push(JSON.stringify({ id, custom_id: line.custom_id, response: { status_code: 400, request_id: requestId, body }, error: null }));
        continue;
      }
      output.push(JSON.stringify({ id, custom_id: line.custom_id, response: { status_code: 200, request_id: requestId, body: answer(line.url, line.body) }, error: null }));
    }
    const file = (lines: string[], name: string) => (lines.length > 0 ? this.storeFile(name, 'batch_output', Buffer.from(`${lines.join('\n')}\n`)).id : null);
    Object.assign(batch, {
      status: 'completed',
      finalizing_at: now(),
      completed_at: now(),
      output_file_id: file(output, 'batch_output.jsonl'),
      error_file_id: file(errors, 'batch_errors.jsonl'),
      request_counts: { total: output.length + errors.length, completed: output.length, failed: errors.length },
    });
  }
}

function answer(url: string, body: Record<string, unknown>): Record<string, unknown> {
  if (url.endsWith('/embeddings')) {
    return { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], model: body.model, usage: { prompt_tokens: 3, total_tokens: 3 } };
  }
  const messages = (body.messages ?? []) as Array<{ content?: unknown }>;
  const last = messages.at(-1)?.content;
  return {
    id: `chatcmpl-${randomBytes(6).toString('hex')}`,
    object: 'chat.completion',
    created: now(),
    model: body.model,
    choices: [
      { index: 0, message: { role: 'assistant', content: `Echo: ${typeof last === 'string' ? last : JSON.stringify(last ?? '')}` }, finish_reason: 'stop', logprobs: null },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
  };
}

const now = () => Math.floor(Date.now() / 1000);

function notFound(res: ServerResponse, kind: string, id: string): void {
  sendJson(res, 404, { error: { message: `No such ${kind} object: ${id}`, type: 'invalid_request_error', param: 'id', code: null } });
}
