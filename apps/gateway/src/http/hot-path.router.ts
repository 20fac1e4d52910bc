import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError, resolveRequestId } from '@app/core';
import { GatewayMetrics } from '@app/observability';
import { asStorageUnavailable } from '@app/storage';
import { ApiKeyAuthenticator, type Caller } from '../auth/api-key-authenticator';
import { requiresGatewayKey } from '../auth/auth.guard';
import { bodyPending, closeAfterResponse } from './close-after-response';
import { sendError } from './error-response';
import type { Exchange } from './exchange';
import { ExchangeRecorder } from './exchange-recorder';
import type { HotRoute } from './hot-route';
import { RequestTracker } from './request-tracker';

/**
 * Serves the inference routes straight from node:http and hands every other request to Express
 * (and so to Nest's controllers, guards and filters). Feature modules register their routes when
 * their controllers are constructed; at bootstrap the router puts itself in front of the Express
 * app on the HTTP server.
 * Request id, auth, in-flight tracking, metrics and error envelopes are applied here the same way
 * the Nest stack applies them to the other routes.
 */
@Injectable()
export class HotPathRouter implements OnApplicationBootstrap {
  private readonly logger = new Logger(HotPathRouter.name);
  private readonly routes = new Map<string, HotRoute>();
  /** Prefix routes, longest prefix first; only consulted when no exact route matches. */
  private readonly prefixRoutes: HotRoute[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly tracker: RequestTracker,
    private readonly recorder: ExchangeRecorder,
    private readonly metrics: GatewayMetrics,
  ) {}

  register(route: HotRoute): void {
    if (route.prefix === undefined) {
      this.routes.set(`${route.method} ${route.path}`, route);
      return;
    }
    this.prefixRoutes.push(route);
    this.prefixRoutes.sort((a, b) => b.prefix!.length - a.prefix!.length);
  }

  /** The registered routes, for documentation (Swagger). */
  registered(): HotRoute[] {
    return [...this.routes.values(), ...this.prefixRoutes];
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const [expressListener] = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.dispatch(request, response, expressListener));
  }

  private dispatch(request: IncomingMessage, response: ServerResponse, fallback: RequestListener): void {
    this.tracker.begin();
    response.once('close', () => this.tracker.end());
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const route = this.routes.get(`${request.method} ${path}`) ?? this.matchPrefix(request.method, path);
    if (route) this.serve(route, request, response);
    else this.forward(request, response, path, fallback);
  }

  private matchPrefix(method: string | undefined, path: string): HotRoute | undefined {
    for (const route of this.prefixRoutes) {
      if (route.method === method && path.startsWith(route.prefix!)) return route;
    }
    return undefined;
  }

  /** Hands a request to Express/Nest, with the same request id and metrics as the hot path. */
  private forward(request: IncomingMessage, response: ServerResponse, path: string, fallback: RequestListener): void {
    const startedAt = performance.now();
    response.setHeader('x-request-id', resolveRequestId(request.headers['x-request-id']));
    response.once('close', () => {
      // Express sets `route` on matched requests; unmatched paths share one label to bound cardinality.
      const template = (request as IncomingMessage & { route?: { path?: string } }).route?.path ?? 'unmatched';
      this.metrics.observeHttp(template, request.method ?? 'GET', response.statusCode, (performance.now() - startedAt) / 1000);
    });
    if (bodyPending(request) && this.refuseBeforeBody(request, response, path)) return;
    fallback(request, response);
  }

  /**
   * Express parses a JSON body before Nest's guard runs, and its parser reads a body it refuses to
   * the end before answering 413: a client could hold the connection by dripping a body it may not
   * send. Bad credentials and a declared oversize JSON body are answered here, before any read.
   */
  private refuseBeforeBody(request: IncomingMessage, response: ServerResponse, path: string): boolean {
    let error: unknown;
    if (requiresGatewayKey(path)) {
      try {
        this.authenticator.authenticate(request.headers);
      } catch (refused) {
        error = refused;
      }
    }
    const limit = this.config.bodySizeLimit;
    if (!error && isJsonBody(request) && Number(request.headers['content-length']) > limit) {
      error = new GatewayError('payload_too_large', `The request body exceeds the gateway's limit of ${limit} bytes.`, { code: 'request_too_large' });
    }
    if (!error) return false;
    closeAfterResponse(response);
    sendError(response, error, 'openai');
    return true;
  }

  private serve(route: HotRoute, request: IncomingMessage, response: ServerResponse): void {
    const startedAt = performance.now();
    const requestId = resolveRequestId(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    let caller: Caller;
    try {
      caller = this.authenticator.authenticate(request.headers);
    } catch (error) {
      // Unauthenticated calls are counted but not metered: recording them would let anyone write rows.
      response.once('close', () => this.metrics.observeHttp(route.path, route.method, response.statusCode, (performance.now() - startedAt) / 1000));
      closeAfterResponse(response);
      sendError(response, error, route.dialect);
      return;
    }
    const exchange: Exchange = { request, response, requestId, startedAt, route: route.path, caller, stream: false };
    response.once('close', () => this.recorder.record(exchange, route.recordsUsage));
    route.handle(exchange).catch((error: unknown) => this.fail(exchange, route, error));
  }

  private fail(exchange: Exchange, route: HotRoute, thrown: unknown): void {
    const error = asStorageUnavailable(thrown);
    exchange.errorType ??= error instanceof GatewayError ? error.kind : 'internal';
    if (!(error instanceof GatewayError)) {
      this.logger.error({ msg: 'unhandled error on a hot-path route', requestId: exchange.requestId, route: route.path, err: error });
    }
    // An error answered before the body was read (413 from Content-Length…) must not wait for it.
    closeAfterResponse(exchange.response);
    sendError(exchange.response, error, route.dialect);
  }
}

/** The requests Express's JSON parser reads (its default `type`, application/json). */
function isJsonBody(request: IncomingMessage): boolean {
  const type = request.headers['content-type'];
  return type !== undefined && type.split(';', 1)[0].trim().toLowerCase() === 'application/json';
}
