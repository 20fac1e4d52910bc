import { buildConfig } from '@app/config';
import { eventFrame } from '../../../../../test/support/fake-bedrock/event-stream-encoder';
import { upstreamBody } from '../../../../../test/support/real-world-sse';
import { UpstreamHttp } from '../upstream-http';
import { converseStreamEvents } from './converse-stream';

// Real ConverseStream events carry a `p` padding field (against length side channels) no model lists.
const FRAMES = [
  eventFrame('messageStart', { role: 'assistant', p: 'abcd' }),
  eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello, world!' }, p: 'abcdefgh' }),
  eventFrame('contentBlockStop', { contentBlockIndex: 0, p: 'ab' }),
  eventFrame('messageStop', { stopReason: 'end_turn', p: 'abcdef' }),
  eventFrame('metadata', { usage: { inputTokens: 11, outputTokens: 4, totalTokens: 15 }, metrics: { latencyMs: 120 }, p: 'abc' }),
];

/** ConverseStream is binary framing, so leniency is only about how it ends: cleanly after messageStop, or not. */
describe('converseStreamEvents at the end of the stream', () => {
  const http = new UpstreamHttp('bedrock', 'http://127.0.0.1:9', buildConfig({ DATA_DIR: '/tmp' }).upstream);
  afterAll(() => http.close());

  async function read(frames: Uint8Array[], options?: Parameters<typeof upstreamBody>[1]): Promise<Array<Record<string, any>>> {
    const response = { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, body: upstreamBody(Buffer.concat(frames), options) as never };
    const chunks = [];
    for await (const data of converseStreamEvents(http, 'bedrock', response, 'm')) chunks.push(JSON.parse(data) as Record<string, any>);
    return chunks;
  }

  it.each([undefined, 7])('is complete when the body ends right after messageStop and metadata (cut every %s bytes)', async (chunkBytes) => {
    const chunks = await read(FRAMES, { chunkBytes });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('Hello, world!');
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 4 });
  });

  it('rejects a clean end inside a frame', async () => {
    const cut = Buffer.concat(FRAMES).subarray(0, -5);
    await expect(read([cut])).rejects.toMatchObject({ reason: 'protocol' });
  });

  it('rejects a clean end on a frame boundary before messageStop', async () => {
    await expect(read(FRAMES.slice(0, 3))).rejects.toMatchObject({ reason: 'protocol' });
  });

  it('rejects a reset mid-stream', async () => {
    await expect(read(FRAMES.slice(0, 2), { reset: true })).rejects.toMatchObject({ reason: 'reset' });
  });
});
