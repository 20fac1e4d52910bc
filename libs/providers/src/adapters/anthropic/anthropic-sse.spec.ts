import { buildConfig } from '@app/config';
import { ANTHROPIC_BEFORE_RESET, ANTHROPIC_COMPLETE, ANTHROPIC_EOF_WITHOUT_STOP, upstreamBody } from '../../../../../test/support/real-world-sse';
import { UpstreamHttp } from '../upstream-http';
import { anthropicChunks } from './anthropic-sse';

describe('anthropicChunks on streams as real servers send them', () => {
  const http = new UpstreamHttp('anthropic', 'http://127.0.0.1:9', buildConfig({ DATA_DIR: '/tmp' }).upstream);
  afterAll(() => http.close());

  async function read(text: string, options?: Parameters<typeof upstreamBody>[1]): Promise<Array<Record<string, any>>> {
    const response = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: upstreamBody(text, options) as never };
    const chunks = [];
    for await (const data of anthropicChunks(http, 'anthropic', response)) chunks.push(JSON.parse(data) as Record<string, any>);
    return chunks;
  }

  describe.each(ANTHROPIC_COMPLETE)('a stream that $name', ({ body, expected }) => {
    it.each([undefined, 5])('yields the text, the finish and the usage (cut every %s bytes)', async (chunkBytes) => {
      const chunks = await read(body, { chunkBytes });
      expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(expected.content);
      expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual([expected.finishReason]);
      expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: expected.inputTokens, completion_tokens: expected.outputTokens });
    });
  });

  it('rejects a stream that ends cleanly before message_stop', async () => {
    await expect(read(ANTHROPIC_EOF_WITHOUT_STOP)).rejects.toMatchObject({ reason: 'protocol', message: expect.stringContaining('before it was complete') });
  });

  it('rejects a reset mid-stream', async () => {
    await expect(read(ANTHROPIC_BEFORE_RESET, { chunkBytes: 100, reset: true })).rejects.toMatchObject({ reason: 'reset' });
  });
});
