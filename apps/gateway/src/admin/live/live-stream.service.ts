import type { ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { GracefulShutdown } from '../../http/graceful-shutdown';
import { RequestEvents } from '../../pipeline/request-events';
import { liveEventOf } from './live-event';
import { LIVE_TRANSPORT, type LiveTransport } from './live-transport';

const ADMIN_PATH = '/admin/';
/** Events kept for clients resuming with Last-Event-ID. */
const REPLAY_LIMIT = 1_000;
const HEARTBEAT_MS = 15_000;
/** A client whose socket holds more unsent bytes than this is disconnected (it resumes with Last-Event-ID). */
const MAX_PENDING_BYTES = 256 * 1024;

interface Sent {
  readonly id: number;
  readonly frame: string;
}

/**
 * The live view: every finished gateway request (not the admin API's), as an SSE `request` event, to every connected admin
 * client. Ids are sequence numbers of this replica, started from the clock so they keep rising
 * across restarts; the last REPLAY_LIMIT events are replayed to a client that resumes with
 * `Last-Event-ID`. A slow client is disconnected rather than buffered for.
 */
@Injectable()
export class LiveStreamService implements OnModuleDestroy {
  private readonly clients = new Set<ServerResponse>();
  private readonly replay: Sent[] = [];
  private lastId = Date.now() * 1_000;
  private heartbeat?: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    events: RequestEvents,
    @Inject(LIVE_TRANSPORT) private readonly transport: LiveTransport,
    shutdown: GracefulShutdown,
  ) {
    transport.onMessage((message) => this.deliver(message));
    this.unsubscribe = events.subscribe((entry, usage) => {
      // The console's own calls (its polling, this very stream) would drown the traffic it shows;
      // admin actions stay in the audit log.
      if (!transport.listening || entry.path.startsWith(ADMIN_PATH)) return;
      transport.publish(JSON.stringify(liveEventOf(entry, usage)));
    });
    // A live stream never ends by itself: it must not hold the drain until its timeout.
    shutdown.onDrain(() => this.endAll());
  }

  /** Serves one client: the SSE head, the events after `lastEventId`, then every new one. */
  attach(response: ServerResponse, lastEventId: number | undefined): void {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(`retry: 2000\n\n`);
    if (lastEventId !== undefined) for (const sent of this.replay) if (sent.id > lastEventId) response.write(sent.frame);
    this.clients.add(response);
    this.transport.announceListener();
    response.once('close', () => this.detach(response));
    this.heartbeat ??= setInterval(() => {
      this.broadcast(': heartbeat\n\n');
      this.transport.announceListener();
    }, HEARTBEAT_MS).unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe();
    this.endAll();
    await this.transport.close();
  }

  private deliver(message: string): void {
    const id = ++this.lastId;
    const frame = `id: ${id}\nevent: request\ndata: ${message}\n\n`;
    this.replay.push({ id, frame });
    if (this.replay.length > REPLAY_LIMIT) this.replay.shift();
    this.broadcast(frame);
  }

  private broadcast(frame: string): void {
    for (const client of this.clients) {
      if (client.writableLength > MAX_PENDING_BYTES) client.destroy();
      else client.write(frame);
    }
  }

  private detach(response: ServerResponse): void {
    this.clients.delete(response);
    if (this.clients.size === 0) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private endAll(): void {
    for (const client of this.clients) client.end();
  }
}
