import type { PrimedChatStream } from '@app/providers';
import type { Exchange } from '../pipeline/exchange';
import { chatStreamResult } from './chat-stream-relay';

const chunk = (content: string) => JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
const USAGE_CHUNK = JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });

/** An upstream stream: `first`, then `rest` (an Error in it is thrown at that point), with its return() calls counted. */
function primed(first: string, rest: (string | Error)[]): { stream: PrimedChatStream; returned: () => number } {
  let returned = 0;
  let index = 0;
  const iterator: AsyncIterator<string> = {
    next: () => {
      const item = rest[index++];
      if (item instanceof Error) return Promise.reject(item);
      return Promise.resolve(item === undefined ? { done: true, value: undefined } : { done: false, value: item });
    },
    return: () => {
      returned++;
      return Promise.resolve({ done: true, value: undefined });
    },
  };
  return { stream: { status: 200, first, rest: iterator }, returned: () => returned };
}

async function drain(chunks: AsyncIterator<string | Buffer, string | Buffer | void>): Promise<{ events: string[]; last: unknown }> {
  const events: string[] = [];
  for (;;) {
    const next = await chunks.next();
    if (next.done) return { events, last: next.value };
    events.push(String(next.value));
  }
}

describe('chatStreamResult', () => {
  const exchange = () => ({}) as Exchange;

  it('relays every chunk as an SSE event, then [DONE], and lets nothing go when the upstream ended', async () => {
    const upstream = primed(chunk('a'), [chunk('b'), chunk('c')]);
    const served = exchange();
    const result = chatStreamResult(served, upstream.stream, false);
    const { events, last } = await drain(result.chunks);
    expect(events).toEqual([`data: ${chunk('a')}\n\n`, `data: ${chunk('b')}\n\n`, `data: ${chunk('c')}\n\n`]);
    expect(last).toBe('data: [DONE]\n\n');
    expect(served.upstreamEndedAt).toEqual(expect.any(Number));
    expect(upstream.returned()).toBe(0);
    await expect(result.chunks.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('meters the usage chunk and hides it from a client that did not ask for usage', async () => {
    const served = exchange();
    const { events } = await drain(chatStreamResult(served, primed(chunk('a'), [USAGE_CHUNK, chunk('b')]).stream, false).chunks);
    expect(events).toEqual([`data: ${chunk('a')}\n\n`, `data: ${chunk('b')}\n\n`]);
    expect(served.usage).toMatchObject({ inputTokens: 3, outputTokens: 2 });
  });

  it('hides a usage chunk that comes first', async () => {
    const { events } = await drain(chatStreamResult(exchange(), primed(USAGE_CHUNK, [chunk('a')]).stream, false).chunks);
    expect(events).toEqual([`data: ${chunk('a')}\n\n`]);
  });

  it('keeps the usage chunk for a client that asked, and gives every other chunk "usage": null', async () => {
    const { events } = await drain(chatStreamResult(exchange(), primed(chunk('a'), [USAGE_CHUNK]).stream, true).chunks);
    expect(events.map((event) => JSON.parse(event.slice('data: '.length)) as { usage: unknown })).toEqual([
      expect.objectContaining({ usage: null }),
      expect.objectContaining({ usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }),
    ]);
  });

  it('fails with the upstream error mid-stream, marks the exchange, lets the upstream go and is done after', async () => {
    const broken = new Error('upstream reset');
    const upstream = primed(chunk('a'), [chunk('b'), broken, chunk('never')]);
    const served = exchange();
    const { chunks } = chatStreamResult(served, upstream.stream, false);
    await chunks.next();
    await chunks.next();
    await expect(chunks.next()).rejects.toBe(broken);
    expect(served.errorType).toBe('upstream_stream_error');
    expect(upstream.returned()).toBe(1);
    await expect(chunks.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('lets the upstream go once when the consumer returns early (the client left)', async () => {
    const upstream = primed(chunk('a'), [chunk('b'), chunk('c')]);
    const served = exchange();
    const { chunks } = chatStreamResult(served, upstream.stream, false);
    await chunks.next();
    await chunks.return!();
    await chunks.return!();
    expect(upstream.returned()).toBe(1);
    expect(served.upstreamEndedAt).toEqual(expect.any(Number));
    await expect(chunks.next()).resolves.toEqual({ done: true, value: undefined });
  });
});
