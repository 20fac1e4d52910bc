import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/**
 * How finished-request events reach every replica's live clients: in-process when embedded, Redis
 * pub/sub in production. `publish` never waits and never throws (it runs on the request's close).
 *
 * Most of the time nobody watches: `listening` says whether any replica had a live client within
 * LISTEN_GRACE_MS (announced with `announceListener`), and no event is built or sent otherwise —
 * serialising and publishing every request for no one was a seventh of a cached answer's CPU.
 * The grace keeps events flowing (and replayable) for a client that reconnects.
 */
export interface LiveTransport {
  readonly listening: boolean;
  announceListener(): void;
  publish(message: string): void;
  onMessage(handler: (message: string) => void): void;
  close(): Promise<void>;
}

/** How long events keep flowing after the last sign of a live client (heartbeats renew it every 15 s). */
export const LISTEN_GRACE_MS = 60_000;
/** How often a Redis replica checks whether another one has live clients. */
const LISTENER_POLL_MS = 1_000;

export const LIVE_TRANSPORT = Symbol('LIVE_TRANSPORT');

/** One process: a publish is delivered straight to the handler. */
export class InProcessLiveTransport implements LiveTransport {
  private handler: (message: string) => void = () => undefined;
  private listeningUntil = 0;

  get listening(): boolean {
    return Date.now() < this.listeningUntil;
  }

  announceListener(): void {
    this.listeningUntil = Date.now() + LISTEN_GRACE_MS;
  }

  publish(message: string): void {
    this.handler(message);
  }

  onMessage(handler: (message: string) => void): void {
    this.handler = handler;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Redis pub/sub on `<REDIS_KEY_PREFIX>live-events`: every replica publishes its requests and
 * receives everyone's (its own included, so all replicas see one order). A replica with live
 * clients sets `<channel>:listeners` for LISTEN_GRACE_MS; every replica reads its TTL once a second
 * and publishes only while it is set, so another replica's traffic reaches a new client within a
 * second. While Redis is down, events are dropped (the live view is best-effort; the audit log is
 * the record).
 */
export class RedisLiveTransport implements LiveTransport {
  private readonly logger = new Logger(RedisLiveTransport.name);
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly listenersKey: string;
  private readonly poll: NodeJS.Timeout;
  private listeningUntil = 0;
  /** Until when this replica's own clients want events (re-announced by the poll if a SET was lost). */
  private announcedUntil = 0;

  constructor(
    url: string,
    private readonly channel: string,
  ) {
    this.listenersKey = `${channel}:listeners`;
    // Required on first use: an embedded gateway never loads ioredis.
    const { default: IORedis } = require('ioredis') as typeof import('ioredis');
    this.publisher = new IORedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.subscriber = new IORedis(url, { maxRetriesPerRequest: null });
    for (const client of [this.publisher, this.subscriber]) client.on('error', (error: Error) => this.logger.warn({ msg: 'live events: Redis error', error: error.message }));
    this.poll = setInterval(() => void this.readListeners(), LISTENER_POLL_MS).unref();
  }

  get listening(): boolean {
    return Date.now() < this.listeningUntil;
  }

  announceListener(): void {
    this.announcedUntil = this.listeningUntil = Date.now() + LISTEN_GRACE_MS;
    this.publisher.set(this.listenersKey, '1', 'PX', LISTEN_GRACE_MS).catch(() => undefined);
  }

  private async readListeners(): Promise<void> {
    // A SET refused while Redis was (re)connecting is made good here, while this replica listens.
    const own = this.announcedUntil - Date.now();
    if (own > 0) await this.publisher.set(this.listenersKey, '1', 'PX', own).catch(() => undefined);
    const ttl = await this.publisher.pttl(this.listenersKey).catch(() => -2);
    if (ttl > 0) this.listeningUntil = Math.max(this.listeningUntil, Date.now() + ttl);
  }

  publish(message: string): void {
    this.publisher.publish(this.channel, message).catch(() => undefined);
  }

  onMessage(handler: (message: string) => void): void {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) handler(message);
    });
    this.subscriber.subscribe(this.channel).catch((error: Error) => this.logger.warn({ msg: 'live events: subscribe failed', error: error.message }));
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
