import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { KeyInvalidationBus, KeyInvalidationHandlers } from './key-invalidation';

const CHANNEL = 'auth-keys:changed';

/**
 * Key changes over Redis pub/sub, on a channel under REDIS_KEY_PREFIX (ioredis does not prefix
 * channels itself). A subscribing connection can issue no other command, hence two clients. After
 * a reconnect the subscriber asks for a full reload, since messages sent meanwhile are lost.
 */
export class RedisKeyInvalidationBus implements KeyInvalidationBus {
  private readonly logger = new Logger(RedisKeyInvalidationBus.name);
  private readonly channel: string;
  private connectedOnce = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    keyPrefix: string,
  ) {
    this.channel = `${keyPrefix}${CHANNEL}`;
  }

  async publish(id: string): Promise<void> {
    await this.publisher.publish(this.channel, id);
  }

  async subscribe(handlers: KeyInvalidationHandlers): Promise<void> {
    this.connectedOnce = this.subscriber.status === 'ready';
    this.subscriber.on('message', (channel: string, id: string) => {
      if (channel === this.channel) handlers.changed(id);
    });
    this.subscriber.on('ready', () => {
      if (this.connectedOnce) handlers.resync();
      this.connectedOnce = true;
    });
    try {
      await this.subscriber.subscribe(this.channel);
    } catch (error) {
      // Redis down at boot: ioredis resubscribes when it connects, and the safety refresh covers the gap.
      this.logger.warn({ msg: 'could not subscribe to key changes yet; relying on the periodic refresh', error: (error as Error).message });
    }
  }

  close(): Promise<void> {
    // disconnect, not quit: QUIT waits for a reply, which never comes while Redis is unreachable
    // (the subscriber queues commands offline), and would hold the shutdown open.
    this.publisher.disconnect();
    this.subscriber.disconnect();
    return Promise.resolve();
  }
}
