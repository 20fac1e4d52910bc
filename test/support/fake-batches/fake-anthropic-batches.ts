import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJsonBody, sendJson } from '../fake-server/http-replies';

export interface FakeAnthropicBatchesOptions {
  /** Required in `x-api-key`. */
  readonly apiKey: string;
  /** Served by `GET /v1/models`. */
  readonly models?: readonly string[];
}

export interface FakeAnthropicBatchRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly json?: Record<string, unknown>;
}

interface StoredBatch {
  readonly object: Record<string, unknown>;
  readonly requests: Array<{ custom_id: string; params: Record<string, unknown> }>;
}

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const iso = () => new Date().toISOString();
const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });

/**
 * Anthropic's Message Batches API as its reference describes it: `POST /v1/messages/batches`
 * {requests: [{custom_id, params}]} → a `message_batch` (processing_status in_progress,
 * request_counts {processing, succeeded, errored, canceled, expired}); `GET …/{id}`;
 * `POST …/{id}/cancel` (canceling, cancel_initiated_at); `GET …/{id}/results`, JSONL of
 * `{custom_id, result: {type: succeeded|errored|canceled|expired, message|error}}` once ended.
 * Requests need `x-api-key` and `anthropic-version`. A batch ends on the first retrieve after
 * creation unless held; a request without max_tokens is errored, as Anthropic validates params
 * per request. Every request is recorded.
 */
export class FakeAnthropicBatches {
  readonly requests: FakeAnthropicBatchRequest[] = [];
  readonly batches = new Map<string, StoredBatch>();
  hold = false;
  failNextCreate?: { status: number; type: string; message: string };

  private constructor(
    private readonly server: Server,
    private readonly options: FakeAnthropicBatchesOptions,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.route(req, res));
  }

  static async start(options: FakeAnthropicBatchesOptions): Promise<FakeAnthropicBatches> {
    const fake = new FakeAnthropicBatches(createServer(), options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** What ANTHROPIC_BASE_URL takes. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
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

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const json = req.method === 'POST' ? await readJsonBody(req) : undefined;
    this.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, json });
    if (req.headers['x-api-key'] !== this.options.apiKey) return sendJson(res, 401, anthropicError('authentication_error', 'invalid x-api-key'));
    if (!req.headers['anthropic-version']) return sendJson(res, 400, anthropicError('invalid_request_error', 'anthropic-version: header is required'));
    if (req.method === 'GET' && path === '/v1/models') {
      const data = (this.options.models ?? []).map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
      return sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    }
    if (req.method === 'POST' && path === '/v1/messages/batches') return this.create(res, json ?? {});
    const match = /^\/v1\/messages\/batches\/([^/]+)(\/cancel|\/results)?$/.exec(path);
    const batch = match ? this.batches.get(match[1]) : undefined;
    if (!match || !batch) return sendJson(res, 404, anthropicError('not_found_error', 'Not found'));
    if (req.method === 'GET' && !match[2]) return sendJson(res, 200, this.advance(batch));
    if (req.method === 'POST' && match[2] === '/cancel') return sendJson(res, 200, this.cancel(batch));
    if (req.method === 'GET' && match[2] === '/results') return this.results(res, batch);
    sendJson(res, 404, anthropicError('not_found_error', 'Not found'));
  }

  private create(res: ServerResponse, body: Record<string, unknown>): void {
    if (this.failNextCreate) {
      const { status, type, message } = this.failNextCreate;
      this.failNextCreate = undefined;
      return sendJson(res, status, anthropicError(type, message));
    }
    const requests = body.requests as StoredBatch['requests'] | undefined;
    if (!Array.isArray(requests) || requests.length === 0) return sendJson(res, 400, anthropicError('invalid_request_error', 'requests: Field required'));
    for (const [index, request] of requests.entries()) {
      if (typeof request.custom_id !== 'string' || !CUSTOM_ID.test(request.custom_id)) {
        return sendJson(res, 400, anthropicError('invalid_request_error', `requests.${index}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`));
      }
      if (typeof request.params !== 'object' || request.params === null)
        return sendJson(res, 400, anthropicError('invalid_request_error', `requests.${index}.params: Field required`));
    }
    const id = `msgbatch_${randomBytes(12).toString('hex')}`;
    const object = {
      id,
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: requests.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      created_at: iso(),
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: null,
    };
    this.batches.set(id, { object, requests });
    sendJson(res, 200, object);
  }

  private cancel(batch: StoredBatch): Record<string, unknown> {
    if (batch.object.processing_status === 'in_progress') Object.assign(batch.object, { processing_status: 'canceling', cancel_initiated_at: iso() });
    return batch.object;
  }

  private advance(batch: StoredBatch): Record<string, unknown> {
    const status = batch.object.processing_status;
    if (status === 'ended' || (status === 'in_progress' && this.hold)) return batch.object;
    const canceled = status === 'canceling';
    const results = batch.requests.map((request) => (canceled ? 'canceled' : request.params.max_tokens === undefined ? 'errored' : 'succeeded'));
    const count = (type: string) => results.filter((result) => result === type).length;
    Object.assign(batch.object, {
      processing_status: 'ended',
      ended_at: iso(),
      request_counts: { processing: 0, succeeded: count('succeeded'), errored: count('errored'), canceled: count('canceled'), expired: 0 },
      results_url: `${this.url}/v1/messages/batches/${String(batch.object.id)}/results`,
    });
    return batch.object;
  }

  private results(res: ServerResponse, batch: StoredBatch): void {
    if (batch.object.processing_status !== 'ended')
      return sendJson(res, 400, anthropicError('invalid_request_error', 'Batch is still processing; results are available once it has ended.'));
    const canceled = batch.object.cancel_initiated_at !== null;
    const lines = batch.requests.map((request) => JSON.stringify({ custom_id: request.custom_id, result: resultOf(request.params, canceled) }));
    const text = `${lines.join('\n')}\n`;
    res.writeHead(200, { 'content-type': 'application/binary', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

function resultOf(params: Record<string, unknown>, canceled: boolean): Record<string, unknown> {
  if (canceled) return { type: 'canceled' };
  if (params.max_tokens === undefined) return { type: 'errored', error: anthropicError('invalid_request_error', 'max_tokens: Field required') };
  const messages = (params.messages ?? []) as Array<{ content?: unknown }>;
  const last = messages.at(-1)?.content;
  const text = typeof last === 'string' ? last : JSON.stringify(last);
  return {
    type: 'succeeded',
    message: {
      id: `msg_${randomBytes(8).toString('hex')}`,
      type: 'message',
      role: 'assistant',
      model: params.model,
      content: [{ type: 'text', text: `Echo: ${text}` }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  };
}
