import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/**
 * How finished-request events reach every replica's live clients: in-process when embedded, Redis
 * pub/sub in production. `publish` never waits and never throws (it runs on the request's close).
 */
export interface LiveTransport {
  publish(message: string): void;
  onMessage(handler: (message: string) => void): void;
  close(): Promise<void>;
}

export const LIVE_TRANSPORT = Symbol('LIVE_TRANSPORT');

/** One process: a publish is delivered straight to the handler. */
export class InProcessLiveTransport implements LiveTransport {
  private handler: (message: string) => void = () => undefined;

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
 * receives everyone's (its own included, so all replicas see one order). While Redis is down,
 * events are dropped (the live view is best-effort; the audit log is the record).
 */
export class RedisLiveTransport implements LiveTransport {
  private readonly logger = new Logger(RedisLiveTransport.name);
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(
    url: string,
    private readonly channel: string,
  ) {
    // Required on first use: an embedded gateway never loads ioredis.
    const { default: IORedis } = require('ioredis') as typeof import('ioredis');
    this.publisher = new IORedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.subscriber = new IORedis(url, { maxRetriesPerRequest: null });
    for (const client of [this.publisher, this.subscriber]) client.on('error', (error: Error) => this.logger.warn({ msg: 'live events: Redis error', error: error.message }));
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
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}
