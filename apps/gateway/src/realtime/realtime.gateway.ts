import { type IncomingMessage, type Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebSocketServer } from 'ws';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { GatewayMetrics } from '@app/observability';
import { FailoverRunner } from '@app/providers';
import { GracefulShutdown } from '../http/graceful-shutdown';
import { RequestTracker } from '../http/request-tracker';
import { Admission } from '../pipeline/admission';
import { chooseProtocol, handshakeResponse, refuseUpgrade } from './realtime-handshake';
import { RealtimeMetrics } from './realtime-metrics';
import { RealtimeSession, type SessionContext } from './realtime-session';
import { RealtimeUsage } from './realtime-usage';
import { type PreparedSession, REALTIME_ROUTE, RealtimeService } from './realtime.service';

const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * Owns the HTTP server's `upgrade` event: `GET /v1/realtime` and `/p/{provider}/…/realtime`
 * WebSocket upgrades become relayed sessions. Not a @nestjs/websockets gateway: those complete the
 * handshake before any handler runs and speak in parsed messages, while this relay must refuse
 * with an HTTP error body before the 101 (auth, model, admission are async), answer the
 * `realtime` subprotocol, and pass frames through untouched. So `ws` runs with `noServer` and
 * `handleUpgrade` is called only once the session is admitted.
 */
@Injectable()
export class RealtimeGateway implements OnApplicationBootstrap {
  private readonly sessions = new Set<RealtimeSession>();
  /** The handshake response of each request being upgraded: headers set by admission go into the 101. */
  private readonly handshakes = new WeakMap<IncomingMessage, { response: ServerResponse; session: PreparedSession }>();
  private readonly context: SessionContext;
  private readonly wss: WebSocketServer;
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly service: RealtimeService,
    private readonly shutdown: GracefulShutdown,
    private readonly tracker: RequestTracker,
    private readonly httpMetrics: GatewayMetrics,
    admission: Admission,
    failover: FailoverRunner,
    usage: RealtimeUsage,
    metrics: RealtimeMetrics,
  ) {
    const { realtime } = config;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: realtime.maxFrameBytes, perMessageDeflate: false, clientTracking: false, handleProtocols: chooseProtocol });
    this.context = {
      admission,
      failover,
      usage,
      metrics,
      limits: realtime,
      connectTimeoutMs: config.upstream.connectTimeoutMs,
      maxFrameBytes: realtime.maxFrameBytes,
      ended: (session, status) => this.ended(session, status),
    };
  }

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.wss.on('headers', (headers: string[], request: IncomingMessage) => {
      const response = this.handshakes.get(request)?.response;
      for (const name of response?.getHeaderNames() ?? []) headers.push(`${name}: ${String(response!.getHeader(name))}`);
    });
    // A handshake `ws` itself refuses (e.g. a malformed Sec-WebSocket-Protocol) after admission: settle it.
    this.wss.on('wsClientError', (error: Error, socket: Duplex, request: IncomingMessage) => {
      const handshake = this.handshakes.get(request);
      refuseUpgrade(handshake?.response ?? handshakeResponse(request), socket, GatewayError.invalidRequest(`Invalid WebSocket handshake: ${error.message}`));
      if (handshake) this.context.admission.settle(handshake.session.exchange, { status: 400, completed: false, errorType: 'invalid_request' });
    });
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    this.shutdown.onDrainDeadline(() => {
      for (const session of this.sessions) session.shutdown();
    });
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = request.url ?? '/';
    const path = url.split('?', 1)[0];
    const passthrough = path.startsWith('/p/') && path.endsWith('/realtime');
    if (path !== REALTIME_ROUTE && !passthrough) return this.notServed(request, socket);
    const response = handshakeResponse(request);
    if (!isWebSocketHandshake(request))
      return refuseUpgrade(response, socket, GatewayError.invalidRequest('This route takes a WebSocket handshake (GET, Upgrade: websocket, Sec-WebSocket-Version: 13).'));
    if (this.shutdown.draining) return refuseUpgrade(response, socket, new GatewayError('unavailable', 'The gateway is shutting down; connect again.', { code: 'shutting_down' }));
    const preparing = async () => (passthrough ? this.service.preparePassthrough(request, response) : this.service.prepare(request, response));
    preparing().then(
      (session) => this.accept(session, request, socket, head),
      (error: unknown) => refuseUpgrade(response, socket, error),
    );
  }

  private accept(prepared: PreparedSession, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const session = new RealtimeSession(prepared.exchange, prepared.route, this.context);
    if (socket.destroyed) {
      this.context.admission.settle(prepared.exchange, { status: 499, completed: false, errorType: 'client_closed' });
      return;
    }
    this.handshakes.set(request, { response: prepared.exchange.response, session: prepared });
    this.wss.handleUpgrade(request, socket, head, (client) => {
      this.tracker.begin();
      this.sessions.add(session);
      void session.start(client);
    });
  }

  private ended(session: RealtimeSession, status: number): void {
    if (!this.sessions.delete(session)) return;
    const { exchange } = session;
    this.httpMetrics.observeHttp(exchange.route, 'GET', status === 200 ? 101 : status, (performance.now() - exchange.startedAt) / 1000);
    this.tracker.end();
  }

  /**
   * Upgrades elsewhere (a WebSocket to another path, `Upgrade: h2c`…). Node hands every upgrade
   * request to this listener, so a bodiless one is served as the plain request it also is; one
   * with a body cannot be (its bytes are no longer parsed), and is refused.
   */
  private notServed(request: IncomingMessage, socket: Duplex): void {
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (hasBody) return refuseUpgrade(response, socket, new GatewayError('not_found', 'WebSocket upgrades are served on /v1/realtime only.', { code: 'upgrade_not_supported' }));
    response.assignSocket(socket as never);
    response.once('finish', () => socket.end());
    this.server!.emit('request', request, response);
  }
}

function isWebSocketHandshake(request: IncomingMessage): boolean {
  const key = request.headers['sec-websocket-key'];
  return (
    request.method === 'GET' &&
    request.headers.upgrade?.toLowerCase() === 'websocket' &&
    request.headers['sec-websocket-version'] === '13' &&
    key !== undefined &&
    WEBSOCKET_KEY.test(key.trim())
  );
}
