import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { QUEUE_MONITOR, type QueueMonitor } from '@app/queue';
import { WorkerMetrics } from '../metrics/worker-metrics';
import { WORKER_ROUTES } from './worker-routes';

/**
 * The worker's only HTTP surface, on WORKER_HTTP_PORT: `/health` for the liveness probe and
 * `/metrics` for Prometheus. Plain node:http: two fixed routes do not need Express. It opens at
 * bootstrap and closes after the consumers (onApplicationShutdown), so a draining worker can still
 * be scraped.
 */
@Injectable()
export class WorkerHttpServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerHttpServer');
  private readonly server: Server;
  private readonly masterKeyDigest?: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_MONITOR) private readonly monitor: QueueMonitor,
    private readonly metrics: WorkerMetrics,
  ) {
    this.server = createServer((request, response) => this.handle(request, response));
    if (config.metricsAuth && config.masterKey) this.masterKeyDigest = digest(`Bearer ${config.masterKey}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.workerHttpPort, this.config.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.logger.log(`Health and metrics on port ${this.port()}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Scrapers keep connections alive; they must not hold the exit.
    this.server.closeAllConnections();
    await closed;
  }

  /** The bound port (WORKER_HTTP_PORT, or the one picked for 0). */
  port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== WORKER_ROUTES.health && path !== WORKER_ROUTES.metrics) return send(response, 404, { error: 'not found' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, { error: 'method not allowed' });
    }
    if (path === WORKER_ROUTES.health) {
      const consuming = this.monitor.consuming();
      return send(response, consuming ? 200 : 503, { status: consuming ? 'ok' : 'not consuming' });
    }
    this.serveMetrics(request, response);
  }

  private serveMetrics(request: IncomingMessage, response: ServerResponse): void {
    if (!this.config.metricsEnabled) return send(response, 404, { error: 'not found' });
    if (this.masterKeyDigest && !timingSafeEqual(digest(request.headers.authorization ?? ''), this.masterKeyDigest)) {
      response.setHeader('www-authenticate', 'Bearer');
      return send(response, 401, { error: 'metrics are served to the master key only' });
    }
    this.metrics.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': this.metrics.contentType });
        response.end(text);
      },
      (error: unknown) => {
        this.logger.error(error);
        send(response, 500, { error: 'metrics unavailable' });
      },
    );
  }
}

// Equal-length digests let timingSafeEqual compare keys of any length without leaking it.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
