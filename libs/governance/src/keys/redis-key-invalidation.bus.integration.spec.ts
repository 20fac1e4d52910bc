import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { KeyInvalidationHandlers } from './key-invalidation';
import { RedisKeyInvalidationBus } from './redis-key-invalidation.bus';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function recorder(): KeyInvalidationHandlers & { ids: string[]; resyncs: number } {
  const seen = { ids: [] as string[], resyncs: 0 };
  return Object.assign(seen, { changed: (id: string) => seen.ids.push(id), resync: () => seen.resyncs++ });
}

const until = async (condition: () => boolean, limitMs = 2_000) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error('condition not met in time');
    await new Promise((done) => setTimeout(done, 5));
  }
};

describe('RedisKeyInvalidationBus on a real Redis', () => {
  const prefix = `sy-test-keys-bus-${randomUUID()}:`;
  const buses: RedisKeyInvalidationBus[] = [];
  const subscribers: Redis[] = [];

  function bus(keyPrefix = prefix): RedisKeyInvalidationBus {
    const subscriber = new Redis(REDIS_URL);
    subscribers.push(subscriber);
    const created = new RedisKeyInvalidationBus(new Redis(REDIS_URL), subscriber, keyPrefix);
    buses.push(created);
    return created;
  }

  afterAll(async () => {
    await Promise.all(buses.map((created) => created.close()));
  });

  it("delivers a change to every replica of the deployment, and not to another deployment's", async () => {
    const [a, b, other] = [bus(), bus(), bus(`${prefix}other:`)];
    const [onA, onB, onOther] = [recorder(), recorder(), recorder()];
    await Promise.all([a.subscribe(onA), b.subscribe(onB), other.subscribe(onOther)]);
    await a.publish('key_1');
    await until(() => onA.ids.length === 1 && onB.ids.length === 1);
    expect([onA.ids, onB.ids, onOther.ids]).toEqual([['key_1'], ['key_1'], []]);
  });

  it('asks for a full reload after its subscription connection came back (messages may have been lost)', async () => {
    const replica = bus();
    const handlers = recorder();
    await replica.subscribe(handlers);
    const subscriber = subscribers.at(-1)!;
    await until(() => subscriber.status === 'ready');
    subscriber.disconnect(true);
    await until(() => handlers.resyncs === 1);
    // And it is subscribed again.
    await bus().publish('key_2');
    await until(() => handlers.ids.includes('key_2'));
  });
});
