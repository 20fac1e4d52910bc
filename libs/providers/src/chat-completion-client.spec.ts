import { PassThrough } from 'node:stream';
import { releaseChatStream } from './chat-completion-client';

describe('releaseChatStream', () => {
  it('closes the upstream body of a stream that is suspended between events', async () => {
    const body = new PassThrough();
    async function* events(): AsyncGenerator<string> {
      for await (const chunk of body) yield String(chunk);
    }
    const rest = events();
    body.write('first');
    expect(await rest.next()).toEqual({ done: false, value: 'first' });
    releaseChatStream(rest);
    await new Promise((closed) => body.once('close', closed));
    expect(body.destroyed).toBe(true);
    expect(await rest.next()).toEqual({ done: true, value: undefined });
  });

  it('is harmless on a stream that already ended or failed', async () => {
    // eslint-disable-next-line require-yield -- a stream that fails before its first event, on purpose
    async function* failed(): AsyncGenerator<string> {
      throw new Error('broken');
    }
    const rest = failed();
    await expect(rest.next()).rejects.toThrow('broken');
    expect(() => releaseChatStream(rest)).not.toThrow();
  });
});
