import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, pathOf, ScriptedFakeServer, sendJson, sendScriptedStatus, writeSseHead, writeThenDestroy } from '../fake-server';
import { type ChatRequestView, completionBody, nextIds, readChatRequest, streamEvents } from './chat-completion-builder';
import type { FakeBehaviour, FakeUpstreamOptions, OkBehaviour, RecordedRequest } from './fake-behaviour';
import { authError, defaultErrorFor, errorEnvelope, INVALID_JSON_ERROR, invalidUrlError } from './openai-errors';

const DEFAULT_OK: OkBehaviour = Object.freeze({ kind: 'ok' });
const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o'];
const MODEL_CREATED = 1_721_172_741;

/**
 * A node:http server that answers like OpenAI's API reference says OpenAI does, with scripted
 * faults. Used by the e2e suites and by the benchmark, so the default path stays allocation-light.
 */
export class FakeOpenAIUpstream extends ScriptedFakeServer<FakeBehaviour, RecordedRequest> {
  private readonly models: ReadonlyMap<string, object>;
  private readonly modelsBody: string;
  private readonly expectedAuthorization?: string;
  private readonly record: boolean;

  private constructor(options: FakeUpstreamOptions) {
    super(DEFAULT_OK);
    const ids = options.models ?? DEFAULT_MODELS;
    this.models = new Map(ids.map((id) => [id, { id, object: 'model', created: MODEL_CREATED, owned_by: 'system' }]));
    this.modelsBody = JSON.stringify({ object: 'list', data: [...this.models.values()] });
    this.expectedAuthorization = options.apiKey === undefined ? undefined : `Bearer ${options.apiKey}`;
    this.record = options.recordRequests ?? true;
    this.server.keepAliveTimeout = 65_000;
  }

  static async start(options: FakeUpstreamOptions = {}): Promise<FakeOpenAIUpstream> {
    return new FakeOpenAIUpstream(options).listen(options.port, options.host);
  }

  /** `http://127.0.0.1:<port>/v1`, the value an OpenAI SDK takes as `baseURL`. */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** Behaviour used when the queue is empty. */
  setDefault(behaviour: FakeBehaviour): void {
    this.fallback = behaviour;
  }

  protected route(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = req.url ?? '/';
    const path = pathOf(url);
    const method = req.method ?? 'GET';
    const body = parseJsonBody(raw);
    const invalidJson = body === undefined && raw.length > 0;
    if (this.record) this.requests.push({ method, path, url, headers: req.headers, rawBody: raw, body, receivedAt: Date.now() });

    if (!path.startsWith('/v1/')) return sendJson(res, 404, invalidUrlError(method, path));
    const authorization = req.headers.authorization;
    if (this.expectedAuthorization !== undefined && authorization !== this.expectedAuthorization) {
      return sendJson(res, 401, authError(authorization));
    }
    if (method === 'POST' && path === '/v1/chat/completions') return this.chat(req, res, body, invalidJson);
    if (method === 'POST' && path === '/v1/embeddings') return this.embeddings(res, body);
    if (method === 'GET' && path === '/v1/models') return sendJson(res, 200, this.modelsBody);
    if (method === 'GET' && path.startsWith('/v1/models/')) return this.model(res, decodeURIComponent(path.slice('/v1/models/'.length)));
    sendJson(res, 404, invalidUrlError(method, path));
  }

  /** Answers from the queue like chat does, but only `ok` (an embedding) and `status` make sense here. */
  private embeddings(res: ServerResponse, body: any): void {
    const behaviour = this.nextBehaviour();
    if (behaviour.kind === 'status') return sendScriptedStatus(res, behaviour, defaultErrorFor(behaviour.status, String(body?.model)));
    sendJson(res, 200, embeddingsBody(body));
  }

  private model(res: ServerResponse, id: string): void {
    const model = this.models.get(id);
    if (model) return sendJson(res, 200, model);
    sendJson(res, 404, errorEnvelope(`The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model'));
  }

  private chat(req: IncomingMessage, res: ServerResponse, body: any, invalidJson: boolean): void {
    // Malformed requests are rejected before a queued behaviour is consumed, like OpenAI would.
    if (invalidJson) return sendJson(res, 400, INVALID_JSON_ERROR);
    const view = readChatRequest(body);
    if ('error' in view) return sendJson(res, 400, view);
    const behaviour = this.nextBehaviour();
    try {
      this.respond(req, res, view, behaviour);
    } catch {
      req.socket.destroy();
    }
  }

  // Synchronous unless a delay is scripted: the default path runs thousands of times per second.
  private respond(req: IncomingMessage, res: ServerResponse, view: ChatRequestView, behaviour: FakeBehaviour): void {
    switch (behaviour.kind) {
      case 'ok':
        if (behaviour.delayMs) return this.after(behaviour.delayMs, () => this.answer(res, view, behaviour));
        return this.answer(res, view, behaviour);
      case 'slow-first-byte':
        return this.after(behaviour.delayMs, () => this.answer(res, view, DEFAULT_OK));
      case 'status':
        if (behaviour.delayMs) return this.after(behaviour.delayMs, () => sendScriptedStatus(res, behaviour, defaultErrorFor(behaviour.status, view.model)));
        return sendScriptedStatus(res, behaviour, defaultErrorFor(behaviour.status, view.model));
      case 'reset':
        req.socket.destroy();
        return;
      case 'reset-mid-stream':
        return this.resetMidStream(req, res, view, behaviour.afterEvents ?? 2);
      case 'malformed-sse':
        return this.malformedSse(res, view);
      case 'hang':
        return;
    }
  }

  private answer(res: ServerResponse, view: ChatRequestView, ok: OkBehaviour): void {
    // The client gave up during a scripted delay.
    if (res.destroyed) return;
    const ids = nextIds();
    if (!view.stream) return sendJson(res, 200, completionBody(view, ok, ids));
    const events = streamEvents(view, ok, ids);
    writeSseHead(res);
    if (ok.eventDelayMs) return this.pace(res, events, ok.eventDelayMs);
    for (const event of events) res.write(event);
    res.end();
  }

  private resetMidStream(req: IncomingMessage, res: ServerResponse, view: ChatRequestView, afterEvents: number): void {
    const ids = nextIds();
    if (view.stream) {
      writeSseHead(res);
      return writeThenDestroy(req, res, streamEvents(view, DEFAULT_OK, ids).slice(0, afterEvents));
    }
    // A non-streaming answer cut in half: the announced content-length is never reached.
    const text = JSON.stringify(completionBody(view, DEFAULT_OK, ids));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    writeThenDestroy(req, res, [text.slice(0, text.length >> 1)]);
  }

  private malformedSse(res: ServerResponse, view: ChatRequestView): void {
    writeSseHead(res);
    res.write(streamEvents(view, DEFAULT_OK, nextIds())[0]);
    res.write('data: {"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":\n\n');
    res.end();
  }
}

/**
 * `POST /v1/embeddings` as OpenAI answers it: one 3-dimension vector per input, derived from its
 * length so tests can tell them apart, as floats or (`encoding_format: "base64"`, the openai SDK's
 * default) little-endian float32 in base64.
 */
function embeddingsBody(body: any): object {
  const inputs: unknown[] = Array.isArray(body?.input) ? body.input : [body?.input];
  const base64 = body?.encoding_format === 'base64';
  const data = inputs.map((input, index) => {
    const vector = [String(input).length, index, 0.5];
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce<number>((sum, input) => sum + Math.ceil(String(input).length / 4), 0);
  return { object: 'list', data, model: body?.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}
