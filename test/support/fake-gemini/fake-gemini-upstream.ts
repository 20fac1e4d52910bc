import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, ScriptedFakeServer, sendJson, sendScriptedStatus, writeThenDestroy } from '../fake-server';
import type { FakeGeminiOptions, GeminiFakeBehaviour, GeminiRecordedRequest } from './fake-gemini-behaviour';
import { blockedBody, fakeEmbedding, generateContentBody, modelResource, streamBodies } from './gemini-answers';
import { defaultGeminiError, geminiError, INVALID_KEY_ERROR, invalidArgument, MISSING_KEY_ERROR, modelNotFound } from './gemini-error-bodies';
import { checkGeminiBody } from './gemini-wire-check';

const DEFAULT_MODELS = ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-embedding-001', 'imagen-4.0-generate-001'];
const MODEL_ROUTE = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/;
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  model: string;
  body: any;
  sse: boolean;
}

/**
 * A node:http server that answers like Gemini's v1beta REST API reference says Gemini does
 * (generateContent, streamGenerateContent, embedContent, batchEmbedContents, models.list), with
 * the same request strictness (unknown fields are rejected) and scripted faults.
 */
export class FakeGeminiUpstream extends ScriptedFakeServer<GeminiFakeBehaviour, GeminiRecordedRequest> {
  private readonly models: string[];

  private constructor(private readonly options: FakeGeminiOptions) {
    super({ kind: 'ok' });
    this.models = options.models ?? DEFAULT_MODELS;
  }

  static async start(options: FakeGeminiOptions = {}): Promise<FakeGeminiUpstream> {
    return new FakeGeminiUpstream(options).listen();
  }

  /** `http://127.0.0.1:<port>`: the value for GEMINI_BASE_URL (paths start with /v1beta). */
  get url(): string {
    return this.origin;
  }

  setDefault(behaviour: GeminiFakeBehaviour): void {
    this.fallback = behaviour;
  }

  /** Requests to the model methods (generation and embeddings), without the listings. */
  get modelCalls(): GeminiRecordedRequest[] {
    return this.requests.filter((request) => MODEL_ROUTE.test(request.path));
  }

  protected route(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = parseJsonBody(raw);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname, url: req.url ?? '/', query: url.searchParams, headers: req.headers, rawBody: raw, body });
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key') ?? undefined;
    if (this.options.apiKey !== undefined && key === undefined) return sendJson(res, 403, MISSING_KEY_ERROR);
    if (this.options.apiKey !== undefined && key !== this.options.apiKey) return sendJson(res, 400, INVALID_KEY_ERROR);
    if (req.method === 'GET' && url.pathname === '/v1beta/models') return this.list(res, url.searchParams);
    const match = MODEL_ROUTE.exec(url.pathname);
    if (req.method !== 'POST' || !match) return sendJson(res, 404, geminiError(404, 'NOT_FOUND', `Method not found: ${url.pathname}`));
    if (raw && body === undefined) return sendJson(res, 400, invalidArgument(`Invalid JSON payload received. Unexpected token.`));
    const model = decodeURIComponent(match[1]);
    if (!this.models.includes(model)) return sendJson(res, 404, modelNotFound(model));
    const call: Call = { req, res, model, body, sse: url.searchParams.get('alt') === 'sse' };
    switch (match[2]) {
      case 'generateContent':
      case 'streamGenerateContent':
        return this.generate(call, match[2] === 'streamGenerateContent');
      case 'embedContent':
      case 'batchEmbedContents':
        return this.embed(call, match[2] === 'batchEmbedContents');
      default:
        return sendJson(res, 404, geminiError(404, 'NOT_FOUND', `Method not found: ${match[2]}`));
    }
  }

  private list(res: ServerResponse, query: URLSearchParams): void {
    const size = Math.min(Number(query.get('pageSize') ?? 50) || 50, this.options.maxPageSize ?? 1000);
    const offset = Number(query.get('pageToken') ?? 0) || 0;
    const page = this.models.slice(offset, offset + size).map(modelResource);
    const next = offset + size < this.models.length ? { nextPageToken: String(offset + size) } : {};
    sendJson(res, 200, { models: page, ...next });
  }

  private generate(call: Call, stream: boolean): void {
    const problem =
      checkGeminiBody(call.body ?? {}, 'GenerateContentRequest') ?? (call.body?.contents?.length ? undefined : '* GenerateContentRequest.contents: contents is not specified');
    if (problem) return sendJson(call.res, 400, invalidArgument(problem));
    const behaviour = this.nextBehaviour();
    if (this.fault(call, behaviour)) return;
    if (behaviour.kind === 'ok' && behaviour.delayMs) return this.after(behaviour.delayMs, () => this.answer(call, stream, behaviour));
    this.answer(call, stream, behaviour);
  }

  /** Behaviours that are the same whatever the method; true when one was applied. */
  private fault(call: Call, behaviour: GeminiFakeBehaviour): boolean {
    switch (behaviour.kind) {
      case 'status':
        sendScriptedStatus(call.res, behaviour, defaultGeminiError(behaviour.status, call.model));
        return true;
      case 'reset':
        call.req.socket.destroy();
        return true;
      case 'hang':
        return true;
      default:
        return false;
    }
  }

  private answer(call: Call, stream: boolean, behaviour: GeminiFakeBehaviour): void {
    if (call.res.destroyed) return;
    const ok = behaviour.kind === 'ok' ? behaviour : { kind: 'ok' as const };
    if (!stream) {
      if (behaviour.kind === 'raw') return sendJson(call.res, 200, behaviour.json);
      if (behaviour.kind === 'blocked') return sendJson(call.res, 200, blockedBody(call.model, call.body, behaviour.blockReason));
      return sendJson(call.res, 200, generateContentBody(call.model, call.body, ok));
    }
    const events = this.streamEvents(call, behaviour);
    if (!call.sse)
      return sendJson(
        call.res,
        200,
        events.map((event) => JSON.parse(event.slice(6))),
      );
    call.res.writeHead(200, SSE_HEADERS);
    const frames = events.map((event) => `${event}\r\n\r\n`);
    if (behaviour.kind === 'reset-mid-stream') return writeThenDestroy(call.req, call.res, frames.slice(0, behaviour.afterEvents ?? 1));
    if (ok.eventDelayMs) return this.pace(call.res, frames, ok.eventDelayMs);
    for (const frame of frames) call.res.write(frame);
    call.res.end();
  }

  /** `data: …` lines (without the blank line) of the stream a behaviour produces. */
  private streamEvents(call: Call, behaviour: GeminiFakeBehaviour): string[] {
    const data = (value: unknown) => `data: ${JSON.stringify(value)}`;
    const normal = () => streamBodies(call.model, call.body, { kind: 'ok' }).map(data);
    switch (behaviour.kind) {
      case 'raw':
        return (behaviour.events ?? []).map(data);
      case 'blocked':
        return [data(blockedBody(call.model, call.body, behaviour.blockReason))];
      case 'malformed-sse':
        return [normal()[0], 'data: {"candidates": [{"content": {"parts": [{"text": "broken'];
      case 'truncated-stream':
        return normal().slice(0, -1);
      case 'error-mid-stream': {
        const status = behaviour.status ?? 500;
        return [normal()[0], data(defaultGeminiError(status, call.model))];
      }
      case 'ok':
        return streamBodies(call.model, call.body, behaviour).map(data);
      default:
        return normal();
    }
  }

  private embed(call: Call, batch: boolean): void {
    const problem = checkGeminiBody(call.body ?? {}, batch ? 'BatchEmbedContentsRequest' : 'EmbedContentRequest');
    if (problem) return sendJson(call.res, 400, invalidArgument(problem));
    const requests: any[] = batch ? (call.body.requests ?? []) : [call.body];
    const wrongModel = batch && requests.find((request) => request.model !== `models/${call.model}`);
    if (wrongModel)
      return sendJson(call.res, 400, invalidArgument(`Model name in request (${String(wrongModel.model)}) does not match the model in the URL (models/${call.model}).`));
    if (requests.some((request) => !request.content?.parts?.length)) return sendJson(call.res, 400, invalidArgument('* content: contents.parts must not be empty.'));
    const behaviour = this.nextBehaviour();
    if (this.fault(call, behaviour)) return;
    const vectors = requests.map((request) => ({ values: fakeEmbedding(request.content.parts.map((part: any) => part.text ?? '').join(''), request.outputDimensionality) }));
    sendJson(call.res, 200, batch ? { embeddings: vectors } : { embedding: vectors[0] });
  }
}
