import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type AuditConfig } from '@app/config';
import { AuditWriter, type NewAuditEntry } from '@app/storage';
import type { Caller } from '../auth/caller';
import { type CapturedBody, capturedHeaders, captureText, ResponseBodyTee } from './body-capture';
import type { Exchange } from './exchange';
import { RequestEvents } from './request-events';

/** What a Nest route left on the response for the audit log (set by the exception filter). */
export interface AuditedFailure {
  readonly type: string;
  readonly message: string;
}

/** Where the exception filter puts an AuditedFailure (`response.locals`). */
export const AUDIT_FAILURE = 'switchyardAuditFailure';

/** Liveness, readiness and metrics scrapes: every few seconds, from the platform, not a user. */
const UNAUDITED = /^\/(health(\/|$)|metrics$)/;

/** A Nest-served request as the audit log needs it, gathered by Pipeline.forward(). */
export interface ForwardedRequest {
  readonly request: IncomingMessage & { route?: { path?: string }; caller?: Caller; body?: unknown };
  readonly response: ServerResponse & { locals?: Record<string, unknown> };
  readonly path: string;
  readonly startedAt: number;
  readonly tee?: ResponseBodyTee;
}

/**
 * Builds one audit entry per request, from what the exchange (hot routes) or the Nest request
 * already holds, and hands it to the AuditWriter (never awaited), then to the RequestEvents
 * listeners. Bodies only when AUDIT_BODIES says so: otherwise nothing is copied or serialised.
 */
@Injectable()
export class AuditCapture {
  private readonly audit: AuditConfig;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly writer: AuditWriter,
    private readonly events: RequestEvents,
  ) {
    this.audit = config.audit;
  }

  /** A tee of the response's head when bodies are captured, else undefined (no wrapping at all). */
  teeResponse(response: ServerResponse): ResponseBodyTee | undefined {
    return this.audit.bodies === 'off' ? undefined : new ResponseBodyTee(response, this.audit.bodyMaxBytes);
  }

  recordExchange(exchange: Exchange, now: number): void {
    const { request, response, body } = exchange;
    const status = response.statusCode;
    const entry = this.entry(exchange.requestId, request, exchange.caller, exchange.startedAt, now, status);
    entry.route = exchange.route;
    entry.path = pathOf(request.url);
    entry.requestedModel = typeof body.model === 'string' ? body.model : null;
    entry.provider = exchange.provider ?? null;
    entry.model = exchange.model ?? null;
    entry.attempts = exchange.attempts ?? null;
    entry.errorType = exchange.errorType ?? (response.writableFinished ? null : 'client_closed');
    entry.errorMessage = exchange.errorMessage ?? null;
    entry.stream = exchange.stream;
    entry.cache = exchange.cache ?? null;
    entry.timeToFirstByteMs = exchange.firstTokenAt === undefined ? null : Math.round(exchange.firstTokenAt - exchange.startedAt);
    entry.previousResponseId = typeof body.previous_response_id === 'string' ? body.previous_response_id : null;
    entry.conversationId = conversationOf(body.conversation);
    if (this.keepsBodies(status)) this.attachBodies(entry, request, exchange.bodyText, exchange.bodyCapture);
    this.write(entry, exchange.usage);
  }

  recordForwarded(forwarded: ForwardedRequest): void {
    const { request, response, path } = forwarded;
    if (UNAUDITED.test(path)) return;
    const status = response.statusCode;
    const entry = this.entry(String(response.getHeader('x-request-id') ?? ''), request, request.caller, forwarded.startedAt, performance.now(), status);
    entry.route = request.route?.path ?? 'unmatched';
    entry.path = path;
    const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : undefined;
    entry.requestedModel = typeof body?.model === 'string' ? body.model : null;
    const failure = response.locals?.[AUDIT_FAILURE] as AuditedFailure | undefined;
    entry.errorType = failure?.type ?? (response.writableFinished ? (status >= 400 ? 'error' : null) : 'client_closed');
    entry.errorMessage = failure?.message ?? null;
    if (this.keepsBodies(status)) this.attachBodies(entry, request, body === undefined ? '' : JSON.stringify(body), forwarded.tee);
    this.write(entry, undefined);
  }

  /** Records an entry built elsewhere (e.g. a realtime session); never waits, never throws. */
  record(entry: NewAuditEntry): void {
    this.write(entry, undefined);
  }

  private write(entry: NewAuditEntry, usage: Exchange['usage']): void {
    this.writer.record(entry);
    this.events.emit(entry, usage);
  }

  private entry(requestId: string, request: IncomingMessage, caller: Caller | undefined, startedAt: number, now: number, status: number): NewAuditEntry {
    return {
      requestId,
      createdAt: new Date(Date.now() - (now - startedAt)),
      keyId: caller?.keyId ?? null,
      keyName: caller?.keyName ?? null,
      userPath: caller?.userPath ?? null,
      method: request.method ?? 'GET',
      route: '',
      path: '',
      requestedModel: null,
      provider: null,
      model: null,
      attempts: null,
      status,
      errorType: null,
      errorMessage: null,
      stream: false,
      latencyMs: Math.round(now - startedAt),
      timeToFirstByteMs: null,
      clientIp: this.clientIp(request),
      previousResponseId: null,
      conversationId: null,
      requestHeaders: null,
      requestBody: null,
      responseBody: null,
      bodyTruncated: false,
    };
  }

  private keepsBodies(status: number): boolean {
    return this.audit.bodies === 'all' || (this.audit.bodies === 'errors' && status >= 400);
  }

  private attachBodies(entry: NewAuditEntry, request: IncomingMessage, requestText: string, tee: ResponseBodyTee | undefined): void {
    const requestBody: CapturedBody | null = requestText === '' ? null : captureText(requestText, this.audit.bodyMaxBytes);
    const responseBody = tee?.body() ?? null;
    entry.requestHeaders = capturedHeaders(request.headers);
    entry.requestBody = requestBody?.text ?? null;
    entry.responseBody = responseBody?.text ?? null;
    entry.bodyTruncated = (requestBody?.truncated ?? false) || (responseBody?.truncated ?? false);
  }

  /** The first address of the configured proxy header (the original client), else the socket's peer. */
  private clientIp(request: IncomingMessage): string | null {
    const header = this.audit.clientIpHeader;
    if (header) {
      const value = request.headers[header];
      const first = (Array.isArray(value) ? value[0] : value)?.split(',', 1)[0].trim();
      if (first) return first;
    }
    return request.socket?.remoteAddress ?? null;
  }
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

/** `conversation` of a Responses request: an id, or `{ id }`. */
function conversationOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : null;
}
