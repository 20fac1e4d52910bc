import { buildConfig } from '@app/config';
import { GEMINI_COMPLETE, GEMINI_EOF_WITHOUT_FINISH, upstreamBody } from '../../../../../test/support/real-world-sse';
import { UpstreamHttp } from '../upstream-http';
import { geminiChatChunks } from './gemini-sse';

describe('geminiChatChunks on streams as Gemini sends them', () => {
  const http = new UpstreamHttp('gemini', 'http://127.0.0.1:9', buildConfig({ DATA_DIR: '/tmp' }).upstream);
  afterAll(() => http.close());

  async function read(text: string, options?: Parameters<typeof upstreamBody>[1]): Promise<Array<Record<string, any>>> {
    const response = { status: 200, headers: { 'content-type': 'text/event-stream' }, body: upstreamBody(text, options) as never };
    const chunks = [];
    for await (const data of geminiChatChunks(http, 'gemini', response, 'gemini-rw')) chunks.push(JSON.parse(data) as Record<string, any>);
    return chunks;
  }

  it.each([undefined, 5])(`accepts a stream that has ${GEMINI_COMPLETE.name} (cut every %s bytes)`, async (chunkBytes) => {
    const chunks = await read(GEMINI_COMPLETE.body, { chunkBytes });
    const { expected } = GEMINI_COMPLETE;
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe(expected.content);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual([expected.finishReason]);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: expected.inputTokens, completion_tokens: expected.outputTokens });
  });

  it('rejects a stream that ends cleanly before any finishReason', async () => {
    await expect(read(GEMINI_EOF_WITHOUT_FINISH)).rejects.toMatchObject({ reason: 'protocol', message: expect.stringContaining('before it was complete') });
  });

  it('rejects a last event cut off mid-JSON', async () => {
    const cut = GEMINI_COMPLETE.body.slice(0, -40);
    await expect(read(cut)).rejects.toMatchObject({ reason: 'protocol' });
  });

  it('rejects a reset mid-stream', async () => {
    await expect(read(GEMINI_EOF_WITHOUT_FINISH, { reset: true })).rejects.toMatchObject({ reason: 'reset' });
  });
});
