import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completedResponse, type Json, streamEvents } from './response-builder';

export interface RecordedResponsesRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Json | undefined;
}

const notFound = (what: string) => ({ error: { message: `No response found with id '${what}'.`, type: 'invalid_request_error', param: null, code: null } });

/**
 * A small OpenAI Responses API: create (JSON, SSE, background), retrieve, delete, cancel,
 * input_tokens and compact, with responses kept in memory so chains and lookups behave as upstream.
 */
export class FakeResponsesUpstream {
  readonly requests: RecordedResponsesRequest[] = [];
  readonly stored = new Map<string, Json>();
  /** Background responses complete after this long (unless cancelled first). */
  backgroundMs = 300;
  private url = '';

  private constructor(
    private readonly server: Server,
    private readonly apiKey: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => this.route(req, res, raw ? (JSON.parse(raw) as Json) : undefined));
    });
  }

  static async start(apiKey: string): Promise<FakeResponsesUpstream> {
    const fake = new FakeResponsesUpstream(createServer(), apiKey);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/v1`;
    return fake;
  }

  get baseUrl(): string {
    return this.url;
  }

  reset(): void {
    this.requests.length = 0;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private route(req: IncomingMessage, res: ServerResponse, body: Json | undefined): void {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, headers: req.headers, body });
    if (req.headers.authorization !== `Bearer ${this.apiKey}`)
      return json(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    if (method === 'POST' && path === '/v1/responses') return this.create(res, body ?? {});
    if (method === 'POST' && path === '/v1/responses/input_tokens') return json(res, 200, { object: 'response.input_tokens', input_tokens: 42 });
    if (method === 'POST' && path === '/v1/responses/compact')
      return json(res, 200, {
        id: 'cmp_1',
        object: 'response.compaction',
        output: [{ type: 'compaction', encrypted_content: 'x' }],
        usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 },
      });
    const match = /^\/v1\/responses\/([^/]+)(\/cancel)?$/.exec(path);
    const stored = match ? this.stored.get(match[1]) : undefined;
    if (!match || !stored) return json(res, 404, notFound(match?.[1] ?? path));
    if (method === 'GET' && !match[2]) return json(res, 200, stored);
    if (method === 'DELETE' && !match[2]) {
      this.stored.delete(match[1]);
      return json(res, 200, { id: match[1], object: 'response', deleted: true });
    }
    if (method === 'POST' && match[2]) {
      if (stored.status === 'queued' || stored.status === 'in_progress') stored.status = 'cancelled';
      return json(res, 200, stored);
    }
    json(res, 404, notFound(path));
  }

  private create(res: ServerResponse, body: Json): void {
    if (body.previous_response_id && !this.stored.has(body.previous_response_id)) {
      return json(res, 400, {
        error: {
          message: `Previous response with id '${body.previous_response_id}' not found.`,
          type: 'invalid_request_error',
          param: 'previous_response_id',
          code: 'previous_response_not_found',
        },
      });
    }
    const final = completedResponse(body);
    if (body.background) {
      const queued = { ...final, status: 'queued', output: [], usage: null };
      this.stored.set(final.id, queued);
      setTimeout(() => {
        if (queued.status === 'queued') this.stored.set(final.id, final);
      }, this.backgroundMs).unref();
      return json(res, 200, queued);
    }
    if (body.store !== false) this.stored.set(final.id, final);
    if (!body.stream) return json(res, 200, final);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    for (const event of streamEvents(final)) res.write(event);
    res.end();
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
