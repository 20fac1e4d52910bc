import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, pathOf, ScriptedFakeServer, sendJson, sendScriptedStatus, writeSseHead, writeThenDestroy } from '../fake-server';
import type { AnthropicBehaviour, AnthropicOk, FakeAnthropicOptions, RecordedAnthropicRequest } from './anthropic-behaviour';
import { anthropicError, defaultAnthropicError } from './anthropic-error-bodies';
import { errorEvent, messageBody, planMessage, streamEvents } from './message-builder';
import { modelsPage } from './models-listing';
import { validateMessagesRequest } from './request-validation';

const DEFAULT_OK: AnthropicOk = Object.freeze({ kind: 'ok' });
const DEFAULT_MODELS = ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'];

/**
 * A node:http server that answers `POST /v1/messages` and `GET /v1/models` the way Anthropic's API
 * reference documents them (headers, bodies, SSE event names and order, error envelopes), with
 * scripted behaviours and faults queued per request.
 */
export class FakeAnthropicUpstream extends ScriptedFakeServer<AnthropicBehaviour, RecordedAnthropicRequest> {
  private constructor(private readonly options: FakeAnthropicOptions) {
    super(DEFAULT_OK);
  }

  static async start(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicUpstream> {
    return new FakeAnthropicUpstream(options).listen();
  }

  /** `http://127.0.0.1:<port>`, what ANTHROPIC_BASE_URL (and an Anthropic SDK `baseURL`) takes. */
  get url(): string {
    return this.origin;
  }

  /** The `POST /v1/messages` requests received, in order. */
  get messageRequests(): RecordedAnthropicRequest[] {
    return this.requests.filter((request) => request.path === '/v1/messages');
  }

  setDefault(behaviour: AnthropicBehaviour): void {
    this.fallback = behaviour;
  }

  protected route(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = req.url ?? '/';
    const path = pathOf(url);
    const body = parseJsonBody(raw);
    this.requests.push({ method: req.method ?? 'GET', path, url, headers: req.headers, rawBody: raw, body });
    res.setHeader('request-id', 'req_fake0001');
    const key = req.headers['x-api-key'];
    if (this.options.apiKey !== undefined && key !== this.options.apiKey) {
      return sendJson(res, 401, anthropicError('authentication_error', key ? 'invalid x-api-key' : 'x-api-key header is required'));
    }
    if (!req.headers['anthropic-version']) return sendJson(res, 400, anthropicError('invalid_request_error', 'anthropic-version: header is required'));
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, modelsPage(this.options.models ?? DEFAULT_MODELS, new URL(url, this.origin).searchParams, this.options.modelsPageSize));
    }
    if (req.method === 'POST' && path === '/v1/messages') return this.messages(req, res, raw, body);
    sendJson(res, 404, anthropicError('not_found_error', 'Not found'));
  }

  private messages(req: IncomingMessage, res: ServerResponse, raw: string, body: any): void {
    const invalid = raw && body === undefined ? 'There was an issue with the format of your request: invalid JSON' : validateMessagesRequest(body);
    if (invalid) return sendJson(res, 400, anthropicError('invalid_request_error', invalid));
    const behaviour = this.nextBehaviour();
    const stream = body.stream === true;
    switch (behaviour.kind) {
      case 'ok':
        return this.after(behaviour.delayMs ?? 0, () => this.answer(res, body, behaviour, stream));
      case 'status':
        return sendScriptedStatus(res, behaviour, defaultAnthropicError(behaviour.status));
      case 'reset':
        return void req.socket.destroy();
      case 'reset-mid-stream':
        writeSseHead(res);
        return writeThenDestroy(req, res, streamEvents(planMessage(body, DEFAULT_OK)).slice(0, behaviour.afterEvents ?? 3));
      case 'stream-error':
      case 'truncated-stream': {
        writeSseHead(res);
        const events = streamEvents(planMessage(body, DEFAULT_OK)).slice(0, behaviour.afterEvents ?? 3);
        if (behaviour.kind === 'stream-error') events.push(errorEvent(behaviour.errorType ?? 'overloaded_error', behaviour.message ?? 'Overloaded'));
        return void res.end(events.join(''));
      }
      case 'malformed-sse':
        writeSseHead(res);
        return void res.end(`${streamEvents(planMessage(body, DEFAULT_OK))[0]}event: ping\ndata: {"type": "pi\n\n`);
      case 'hang':
        return;
    }
  }

  private answer(res: ServerResponse, body: any, ok: AnthropicOk, stream: boolean): void {
    if (res.destroyed) return;
    const plan = planMessage(body, ok);
    if (!stream) return sendJson(res, 200, messageBody(plan));
    writeSseHead(res);
    const events = streamEvents(plan);
    if (!ok.eventDelayMs) return void res.end(events.join(''));
    this.pace(res, events, ok.eventDelayMs);
  }
}
