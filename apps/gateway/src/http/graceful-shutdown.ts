import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { RequestTracker } from './request-tracker';

const IDLE_SWEEP_MS = 50;
/** Bound on the wait for cut connections to report `close` (normally one turn of the event loop). */
const CUT_SETTLE_MS = 5_000;

/**
 * Drains the HTTP server before the application closes: stop accepting connections, let requests
 * in flight (streams included) finish within SHUTDOWN_DRAIN_TIMEOUT, then cut what remains and
 * wait until every response, cut or not, has fired `close` (where its usage record is handed to
 * the usage writer). The usage writer's final flush runs afterwards, in the application's
 * shutdown hooks, so it includes the records of the cut requests.
 */
@Injectable()
export class GracefulShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);
  private readonly drainListeners: (() => void)[] = [];
  private readonly cutters: (() => void)[] = [];
  private started = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly tracker: RequestTracker,
  ) {}

  /** Called once draining starts: responses that never end by themselves (live streams) end then. */
  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  /** True once SIGTERM's drain has begun: new long-lived sessions (WebSockets) are refused. */
  get draining(): boolean {
    return this.started;
  }

  /**
   * Registers what to cut when the drain bound is reached, for connections the HTTP server no
   * longer tracks once upgraded (WebSocket sessions): closeAllConnections() does not see them.
   * The cut must end their tracked requests (RequestTracker) for the drain to complete.
   */
  onDrainDeadline(cut: () => void): void {
    this.cutters.push(cut);
  }

  async drain(): Promise<void> {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.started = true;
    server.close();
    for (const listener of this.drainListeners) listener();
    this.logger.log({ msg: 'draining', inFlight: this.tracker.count });
    const deadline = Date.now() + this.config.drainTimeoutMs;
    // Keep-alive sockets become idle as their responses finish; close them as they do.
    while (this.tracker.count > 0 && Date.now() < deadline) {
      server.closeIdleConnections();
      await this.settled(IDLE_SWEEP_MS);
    }
    if (this.tracker.count > 0) {
      this.logger.warn({ msg: 'drain timeout reached; closing remaining connections', inFlight: this.tracker.count });
    }
    for (const cut of this.cutters) cut();
    server.closeAllConnections();
    // A destroyed socket emits `close` asynchronously: without this wait the final flush ran
    // before the cut requests were recorded, and their usage was lost.
    if (!(await this.settled(CUT_SETTLE_MS))) {
      this.logger.warn({ msg: 'requests still open after closing their connections', inFlight: this.tracker.count });
    }
  }

  /** True once no request is in flight, false after `ms`; leaves no timer behind. */
  private async settled(ms: number): Promise<boolean> {
    const timeout = new AbortController();
    try {
      return await Promise.race([this.tracker.idle().then(() => true), sleep(ms, false, { signal: timeout.signal })]);
    } finally {
      timeout.abort();
    }
  }
}
