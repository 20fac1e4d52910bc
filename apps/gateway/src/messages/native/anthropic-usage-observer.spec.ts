import { ANTHROPIC_COMPLETE, ANTHROPIC_EOF_WITHOUT_STOP } from '../../../../../test/support/real-world-sse';
import { AnthropicUsageObserver } from './anthropic-usage-observer';

function observe(body: string | string[], chunkBytes?: number) {
  const observer = new AnthropicUsageObserver(true);
  const chunks = typeof body === 'string' ? cut(body, chunkBytes ?? body.length) : body;
  const flagged = chunks.map((chunk) => observer.push(Buffer.from(chunk)));
  const unterminated = observer.end();
  return { observer, flagged, unterminated, complete: observer.complete, usage: observer.finish() };
}

function cut(body: string, size: number): string[] {
  const chunks: string[] = [];
  for (let offset = 0; offset < body.length; offset += size) chunks.push(body.slice(offset, offset + size));
  return chunks;
}

describe('AnthropicUsageObserver on streams as real servers send them', () => {
  describe.each(ANTHROPIC_COMPLETE)('a stream that $name', ({ body, expected }) => {
    it.each([undefined, 6])('is complete and metered (cut every %s bytes)', (chunkBytes) => {
      const { complete, usage, unterminated } = observe(body, chunkBytes);
      expect(unterminated).toBe(true);
      expect(complete).toBe(true);
      expect(usage).toMatchObject({ inputTokens: expected.inputTokens, outputTokens: expected.outputTokens });
    });
  });

  it('is not complete without message_stop, and has nothing to end after a tidy last event', () => {
    const { complete, unterminated } = observe(ANTHROPIC_EOF_WITHOUT_STOP);
    expect(complete).toBe(false);
    expect(unterminated).toBe(false);
  });

  it('flags every chunk of an error event, the last one without its blank line too, for redaction', () => {
    const error = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded for key sk-ant-api03-abcdefghijklmnop"}}';
    const { flagged, complete, observer } = observe([ANTHROPIC_EOF_WITHOUT_STOP, error.slice(0, 40), error.slice(40)]);
    expect(flagged).toEqual([false, true, true]);
    expect(complete).toBe(true);
    expect(observer.sawError).toBe(true);
  });
});
