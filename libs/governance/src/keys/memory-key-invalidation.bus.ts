import type { KeyInvalidationBus, KeyInvalidationHandlers } from './key-invalidation';

/** The embedded mode's bus: one process, so a change is delivered to its own subscribers only. */
export class MemoryKeyInvalidationBus implements KeyInvalidationBus {
  private readonly subscribers: KeyInvalidationHandlers[] = [];

  publish(id: string): Promise<void> {
    for (const subscriber of this.subscribers) subscriber.changed(id);
    return Promise.resolve();
  }

  subscribe(handlers: KeyInvalidationHandlers): Promise<void> {
    this.subscribers.push(handlers);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.subscribers.length = 0;
    return Promise.resolve();
  }
}
