import { randomUUID } from 'node:crypto';
import { RedisLiveTransport } from './live-transport';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('RedisLiveTransport across two replicas', () => {
  it('a replica publishes only once another has announced a live client, and the event reaches it', async () => {
    const channel = `switchyard-test-${randomUUID()}:live-events`;
    const watching = new RedisLiveTransport(REDIS_URL, channel);
    const serving = new RedisLiveTransport(REDIS_URL, channel);
    try {
      const received: string[] = [];
      watching.onMessage((message) => received.push(message));
      expect(serving.listening).toBe(false);
      watching.announceListener();
      expect(watching.listening).toBe(true);
      // The other replica reads the listeners key about once a second.
      const deadline = Date.now() + 3_000;
      while (!serving.listening && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(serving.listening).toBe(true);
      serving.publish('{"request_id":"r1"}');
      const arrival = Date.now() + 2_000;
      while (received.length === 0 && Date.now() < arrival) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received).toEqual(['{"request_id":"r1"}']);
    } finally {
      await Promise.all([watching.close(), serving.close()]);
    }
  });
});
