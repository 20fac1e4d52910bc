import { buildConfig } from '@app/config';
import { OPENAI_BEFORE_RESET, OPENAI_COMPLETE, OPENAI_EOF_WITHOUT_FINISH, upstreamBody } from '../../../../../test/support/real-world-sse';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { UpstreamHttp, type UpstreamHttpResponse } from '../upstream-http';
import { openAIEventData } from './openai-sse';

describe('openAIEventData on streams as real servers send them', () => {
  const http = new UpstreamHttp('compat', 'http://127.0.0.1:9/v1', buildConfig({ DATA_DIR: '/tmp' }).upstream);
  afterAll(() => http.close());

  const answer = (body: ReturnType<typeof upstreamBody>): UpstreamHttpResponse => ({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: body as never });

  async function read(text: string, options?: Parameters<typeof upstreamBody>[1]): Promise<Array<Record<string, any>>> {
    const chunks = [];
    for await (const data of openAIEventData(http, 'compat', answer(upstreamBody(text, options)))) chunks.push(JSON.parse(data) as Record<string, any>);
    return chunks;
  }

  describe.each(OPENAI_COMPLETE)('a stream that $name', ({ body, expected }) => {
    it.each([undefined, 7])('yields every chunk, the finish and the usage (cut every %s bytes)', async (chunkBytes) => {
      const chunks = await read(body, { chunkBytes });
      expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(expected.content);
      expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual([expected.finishReason]);
      const usage = chunks.map((chunk) => chunk.usage).filter(Boolean);
      expect(usage).toHaveLength(1);
      expect(usage[0]).toMatchObject({ prompt_tokens: expected.inputTokens, completion_tokens: expected.outputTokens });
    });
  });

  it('rejects a stream that ends cleanly before any finish_reason', async () => {
    await expect(read(OPENAI_EOF_WITHOUT_FINISH)).rejects.toMatchObject({ reason: 'protocol', message: expect.stringContaining('before it was complete') });
  });

  it('does not take the empty finish_reason some servers send mid-stream for a finish', async () => {
    const chunk = '{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":""}]}';
    await expect(read(`data: ${chunk}\n\n`)).rejects.toMatchObject({ reason: 'protocol' });
  });

  it('does not take finish_reason text inside the content for a finish', async () => {
    const chunk = JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: '{"finish_reason": "stop"}' }, finish_reason: null }] });
    await expect(read(`data: ${chunk}\n\n`)).rejects.toMatchObject({ reason: 'protocol' });
  });

  it('rejects a reset mid-stream as a transport failure', async () => {
    const failure = await read(OPENAI_BEFORE_RESET, { chunkBytes: 64, reset: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(failure).toMatchObject({ reason: 'reset' });
  });

  it('still fails on an error event that ends the stream without its blank line', async () => {
    await expect(
      read('data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\ndata: {"error":{"message":"overloaded","code":"overloaded"}}'),
    ).rejects.toMatchObject({
      reason: 'status',
      message: 'overloaded',
    });
  });

  describe('as an iterator over the body', () => {
    const event = (content: string, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;
    /** A body of the given chunks that records whether it was read to its end or let go. */
    const trackedBody = (chunks: string[]) => {
      const seen = { exhausted: false, returned: 0 };
      let index = 0;
      const iterator: AsyncIterator<Buffer> = {
        next: () => {
          if (index < chunks.length) return Promise.resolve({ done: false, value: Buffer.from(chunks[index++]) });
          seen.exhausted = true;
          return Promise.resolve({ done: true, value: undefined });
        },
        return: () => {
          seen.returned++;
          return Promise.resolve({ done: true, value: undefined });
        },
      };
      return { body: { [Symbol.asyncIterator]: () => iterator }, seen };
    };
    const contents = (data: string[]) => data.map((item) => (JSON.parse(item) as { choices: { delta: { content: string } }[] }).choices[0].delta.content);

    it('hands over several events of one chunk in order, and reads past [DONE] to the end of the body before it is done', async () => {
      const { body, seen } = trackedBody([event('a') + event('b'), event('c', 'stop') + 'data: [DONE]\n\n', ': trailing keep-alive\n\n']);
      const events = openAIEventData(http, 'compat', answer(body as never));
      const data: string[] = [];
      for (let next = await events.next(); !next.done; next = await events.next()) data.push(next.value);
      expect(contents(data)).toEqual(['a', 'b', 'c']);
      expect(seen).toEqual({ exhausted: true, returned: 0 });
    });

    it('lets the body go when its consumer returns early, and is done after', async () => {
      const { body, seen } = trackedBody([event('a'), event('b'), event('c', 'stop')]);
      const events = openAIEventData(http, 'compat', answer(body as never));
      await events.next();
      await events.return!();
      expect(seen.returned).toBe(1);
      await expect(events.next()).resolves.toEqual({ done: true, value: undefined });
    });

    it('hands over the events before a malformed one in the same chunk, then fails and lets the body go', async () => {
      const { body, seen } = trackedBody([event('a') + 'data: not json\n\n', event('b', 'stop')]);
      const events = openAIEventData(http, 'compat', answer(body as never));
      const first = await events.next();
      expect(contents([first.value as string])).toEqual(['a']);
      await expect(events.next()).rejects.toMatchObject({ reason: 'protocol', message: expect.stringContaining('malformed') });
      expect(seen.returned).toBe(1);
    });

    it('hands over the events it has before failing a stream that ended incomplete', async () => {
      const { body } = trackedBody([event('a') + event('b')]);
      const events = openAIEventData(http, 'compat', answer(body as never));
      const data: string[] = [];
      const failure = await (async () => {
        for (;;) {
          const next = await events.next();
          if (next.done) return undefined;
          data.push(next.value);
        }
      })().catch((error: unknown) => error);
      expect(contents(data)).toEqual(['a', 'b']);
      expect(failure).toMatchObject({ reason: 'protocol', message: expect.stringContaining('before it was complete') });
    });
  });
});
