import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError, resolveRequestId, type TokenUsage } from '@app/core';
import { endSpan, ForegroundTraffic, GatewayMetrics, requestContext, runInSpan, startRequestSpan } from '@app/observability';
import { attemptEndAttributes, requestEndAttributes, requestStartAttributes } from './exchange-span';
import { FailoverRunner } from '@app/providers';
import { asStorageUnavailable } from '@app/storage';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { ANONYMOUS } from '../auth/caller';
import { bodyPending, closeAfterResponse } from '../http/close-after-response';
import { sendError } from '../http/error-response';
import { RequestTracker } from '../http/request-tracker';
import { ResponseCache } from '../response-cache/response-cache.service';
import { Admission } from './admission';
import { AuditCapture } from './audit-capture';
import { CLIENT_CLOSED_STATUS, ClientClosedError, parseJsonObject, readJsonText } from './body-reader';
import type { Exchange } from './exchange';
import { ExchangeRecorder } from './exchange-recorder';
import { Responder } from './responder';
import type { Admitted, Execution, RouteOutcome, RouteResult } from './route-result';
import { type BoundRoute, RouteTable } from './route-table';
import { markServedBy } from './served-by';
import { upstreamSignal } from './upstream-signal';

const EXCHANGE = Symbol('exchange');
type TrackedResponse = ServerResponse & { [EXCHANGE]?: Exchange; [ROUTE]?: BoundRoute };
const ROUTE = Symbol('route');

/**
 * The request path of every route. Hot routes (from the RouteTable) are served straight from
 * node:http: request id (AsyncLocalStorage, entered once) → authenticate + scope → read body (one
 * reader) → handler (parse, resolve → plan) → admit (policies) → execute (FailoverRunner) →
 * respond (one responder) → settle + record on `close`, exactly once. Everything else goes to
 * Express/Nest with the same request id context, and with /admin/* and bodies of unauthenticated
 * requests refused before Express touches them.
 */
@Injectable()
export class Pipeline implements OnApplicationBootstrap {
  private readonly logger = new Logger(Pipeline.name);
  private fallback!: RequestListener;
  private readonly serveInContext = this.serve.bind(this);
  private readonly forwardInContext = this.forward.bind(this);
  private readonly recordOutOfContext = this.record.bind(this);
  private readonly auditOutOfContext = (exchange: Exchange): void => this.audit.recordExchange(exchange, performance.now());
  private readonly closed: (this: TrackedResponse) => void;
  // Read once: with CACHE_ENABLED off the request path pays one boolean test, nothing else.
  private readonly cacheEnabled: boolean;
  private readonly hitsConsumeTokens: boolean;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly table: RouteTable,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly tracker: RequestTracker,
    private readonly recorder: ExchangeRecorder,
    private readonly metrics: GatewayMetrics,
    private readonly admission: Admission,
    private readonly failover: FailoverRunner,
    private readonly responder: Responder,
    private readonly audit: AuditCapture,
    private readonly cache: ResponseCache,
    private readonly foreground: ForegroundTraffic,
  ) {
    this.cacheEnabled = cache.enabled;
    this.hitsConsumeTokens = config.cache.responses.hitsConsumeTokenLimits;
    const finish = (response: TrackedResponse): void => this.finish(response);
    // One listener function for every response: no closure per request.
    this.closed = function (this: TrackedResponse) {
      finish(this);
    };
  }

  onApplicationBootstrap(): void {
    this.table.build();
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    [this.fallback] = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.dispatch(request, response));
  }

  private dispatch(request: IncomingMessage, response: ServerResponse): void {
    this.tracker.begin();
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const route = this.table.match(request.method, path);
    const requestId = resolveRequestId(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    if (route === undefined) {
      requestContext.run({ requestId }, this.forwardInContext, request, response, path);
      return;
    }
    const exchange: Exchange = {
      request,
      response,
      requestId,
      startedAt: performance.now(),
      route: route.path,
      caller: ANONYMOUS,
      bodyText: '',
      body: EMPTY_BODY,
      stream: false,
    };
    exchange.bodyCapture = this.audit.teeResponse(response);
    // An inference request: background work sharing the process (embedded batches) yields to it.
    this.foreground.started();
    const tracked = response as TrackedResponse;
    tracked[EXCHANGE] = exchange;
    tracked[ROUTE] = route;
    response.once('close', this.closed);
    requestContext.run(exchange, this.serveInContext, route, exchange);
  }

  private serve(route: BoundRoute, exchange: Exchange): void {
    // Anthropic's clients read the request id from `request-id`.
    if (route.dialect === 'anthropic') exchange.response.setHeader('request-id', exchange.requestId);
    try {
      exchange.caller = this.authenticator.authorize(exchange.request, route.access);
    } catch (error) {
      // Unauthenticated calls are counted but not metered: recording them would let anyone write rows.
      exchange.errorType = 'unauthenticated';
      exchange.errorMessage = (error as Error).message;
      closeAfterResponse(exchange.response);
      sendError(exchange.response, error, route.dialect);
      return;
    }
    // Tracing off: no span, and the request runs exactly as before.
    exchange.span = startRequestSpan(route.path, requestStartAttributes(route.path, exchange), exchange.request.headers);
    const running = exchange.span ? runInSpan(exchange.span, this.runBound, route, exchange) : this.run(route, exchange);
    running.catch((error: unknown) => this.fail(exchange, route, error));
  }

  private readonly runBound = (route: BoundRoute, exchange: Exchange) => this.run(route, exchange);

  private async run(route: BoundRoute, exchange: Exchange): Promise<void> {
    if (route.readsJson) {
      exchange.bodyText = await readJsonText(exchange.request, this.config);
      exchange.body = parseJsonObject(exchange.bodyText, route.dialect);
    }
    // Each await below is taken only on a promise: awaiting a plain value still costs one (and its
    // AsyncLocalStorage hook), and most handlers decide synchronously, most answers are written at once.
    const handled = route.handle(exchange);
    const outcome: RouteOutcome = handled instanceof Promise ? await handled : handled;
    const result = outcome.kind === 'execute' ? await this.execute(exchange, outcome) : outcome.kind === 'admitted' ? await this.runAdmitted(exchange, outcome) : outcome;
    const sending = this.responder.send(exchange, result);
    if (sending) await sending;
  }

  /** Work the handler runs itself, after the same admission as an execution. */
  private async runAdmitted(exchange: Exchange, admitted: Admitted): Promise<RouteResult> {
    if (!this.admission.empty) await this.admission.admit(exchange, admitted.plan ?? { selector: exchange.model ?? '', targets: [] });
    return admitted.run();
  }

  /**
   * Admit, then answer from the response cache (when on) or run the plan upstream. Not async: when
   * admission decides at once, the stage's promise is handed on rather than wrapped in another.
   */
  private execute(exchange: Exchange, execution: Execution): Promise<RouteResult> {
    const admitting = this.admission.empty ? undefined : this.admission.admit(exchange, execution.plan);
    return admitting ? admitting.then(() => this.afterAdmission(exchange, execution)) : this.afterAdmission(exchange, execution);
  }

  /** The cache stage: after admission (limits and budgets count every request), before any upstream call. */
  private afterAdmission(exchange: Exchange, execution: Execution): Promise<RouteResult> {
    if (this.cacheEnabled) return this.cache.serve(exchange, execution.plan, () => this.executeUpstream(exchange, execution));
    return this.executeUpstream(exchange, execution);
  }

  /** Runs the plan's targets in order until one answers (before the client sees a byte). */
  private async executeUpstream(exchange: Exchange, execution: Execution): Promise<RouteResult> {
    const context = { requestId: exchange.requestId, signal: upstreamSignal(exchange, execution.deadlineMs), directives: mockDirectiveHeader(exchange) };
    let served;
    try {
      served = await this.failover.run(
        execution.plan,
        context,
        (target) => execution.attempt(target, context),
        (target) => nameAttempt(exchange, target),
      );
    } catch (error) {
      exchange.upstreamStatus ??= (error as { upstreamStatus?: number }).upstreamStatus ?? 'error';
      throw execution.failed && exchange.target ? execution.failed(error, exchange.target) : error;
    }
    markServedBy(exchange, served.target);
    exchange.attemptSpan = served.span;
    return execution.respond(served.value, served.target);
  }

  private fail(exchange: Exchange, route: BoundRoute, thrown: unknown): void {
    const error = asStorageUnavailable(thrown);
    const { response } = exchange;
    if (error instanceof ClientClosedError) {
      // Nobody is left to answer; the status is what metrics and usage record.
      exchange.errorType = 'client_closed';
      if (!response.headersSent) response.statusCode = CLIENT_CLOSED_STATUS;
      response.destroy();
      return;
    }
    exchange.errorType ??= error instanceof GatewayError ? error.kind : 'internal';
    exchange.errorMessage ??= error instanceof GatewayError ? error.message : 'The gateway failed to process the request.';
    if (!(error instanceof GatewayError)) {
      this.logger.error({ msg: 'unhandled error on a hot-path route', route: route.path, err: error });
    }
    // An error answered before the body was read (413 from Content-Length…) must not wait for it.
    closeAfterResponse(response);
    sendError(response, error, route.dialect);
  }

  /** The response closed (answered, failed, or the client left): settle and record, once. */
  private finish(response: TrackedResponse): void {
    const exchange = response[EXCHANGE]!;
    const route = response[ROUTE]!;
    this.foreground.ended();
    if (!response.writableFinished && !response.headersSent) response.statusCode = CLIENT_CLOSED_STATUS;
    if (exchange.admitted !== undefined) {
      this.admission.settle(exchange, {
        status: response.statusCode,
        completed: response.writableFinished,
        // A hit's tokens were not spent upstream: token limits and budgets see them only when CACHE_HITS_CONSUME_TOKEN_LIMITS says so.
        usage: exchange.cache === 'HIT' && !this.hitsConsumeTokens ? NO_TOKENS : exchange.usage,
        provider: exchange.provider,
        model: exchange.model,
        errorType: exchange.errorType ?? (response.writableFinished ? undefined : 'client_closed'),
        costChargedLater: exchange.costChargedLater,
      });
    }
    if (exchange.span) {
      endSpan(exchange.attemptSpan, attemptEndAttributes(exchange));
      endSpan(exchange.span, requestEndAttributes(exchange, response.statusCode), response.statusCode >= 500);
    }
    if (exchange.errorType === 'unauthenticated') {
      // Not metered (see serve()), but audited: who tried which route without a valid key.
      this.metrics.observeHttp(route.path, route.method, response.statusCode, (performance.now() - exchange.startedAt) / 1000);
      requestContext.exit(this.auditOutOfContext, exchange);
    }
    // Outside the request's context: the usage writer's batch timer must not carry this request's id.
    else requestContext.exit(this.recordOutOfContext, exchange, route.usage);
    this.tracker.end();
  }

  private record(exchange: Exchange, usage: boolean): void {
    this.recorder.record(exchange, usage);
  }

  /** Hands a request to Express/Nest (in the request's context), with the same request id and metrics as the hot path. */
  private forward(request: IncomingMessage, response: ServerResponse, path: string): void {
    const startedAt = performance.now();
    const tee = this.audit.teeResponse(response);
    response.once('close', () => {
      // Express sets `route` on matched requests; unmatched paths share one label to bound cardinality.
      const template = (request as IncomingMessage & { route?: { path?: string } }).route?.path ?? 'unmatched';
      this.metrics.observeHttp(template, request.method ?? 'GET', response.statusCode, (performance.now() - startedAt) / 1000);
      requestContext.exit(() => this.audit.recordForwarded({ request, response, path, startedAt, tee }));
      this.tracker.end();
    });
    if (this.refuseBeforeExpress(request, response, path)) return;
    this.fallback(request, response);
  }

  /**
   * Refusals made before Express sees the request. Any path under /admin/, known or not, needs an
   * admin caller (no probing for which admin routes exist), except a @Public() Nest route's (the
   * dashboard's static files, which hold no data). A body is refused unread when its
   * sender is not authenticated (unless a @Public() Nest route may take it) or it declares more
   * JSON than the limit: Express's parser reads a body it refuses to the end before answering, so
   * a client could otherwise hold the connection by dripping a body it may not send.
   */
  private refuseBeforeExpress(request: IncomingMessage, response: ServerResponse, path: string): boolean {
    let error: unknown;
    try {
      if ((path === '/admin' || path.startsWith('/admin/')) && !this.table.mayBePublicNestRoute(path)) this.authenticator.authorize(request, 'admin');
      else if (bodyPending(request) && !this.table.mayBePublicNestRoute(path)) this.authenticator.authorize(request, 'inference');
    } catch (refused) {
      error = refused;
    }
    const limit = this.config.bodySizeLimit;
    if (!error && bodyPending(request) && isJsonBody(request) && Number(request.headers['content-length']) > limit) {
      error = new GatewayError('payload_too_large', `The request body exceeds the gateway's limit of ${limit} bytes.`, { code: 'request_too_large' });
    }
    if (!error) return false;
    closeAfterResponse(response);
    sendError(response, error, 'openai');
    return true;
  }
}

const EMPTY_BODY: Record<string, unknown> = Object.freeze({});
const NO_TOKENS: TokenUsage = Object.freeze({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 });

/** Names each target on the exchange as it is attempted, so a request that fails everywhere is recorded against the last one. */
function nameAttempt(exchange: Exchange, target: NonNullable<Exchange['target']>): void {
  (exchange.attempts ??= []).push(`${target.provider.name}/${target.model}`);
  exchange.target = target;
  exchange.provider = target.provider.name;
  exchange.model = target.model;
}

/** The requests Express's JSON parser reads (its default `type`, application/json). */
function isJsonBody(request: IncomingMessage): boolean {
  const type = request.headers['content-type'];
  return type !== undefined && type.split(';', 1)[0].trim().toLowerCase() === 'application/json';
}

/** `x-mock-directive` (first value when repeated): only the mock provider reads it. */
function mockDirectiveHeader(exchange: Exchange): string | undefined {
  const value = exchange.request.headers['x-mock-directive'];
  return Array.isArray(value) ? value[0] : value;
}
