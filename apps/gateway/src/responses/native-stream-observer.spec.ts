import { RESPONSES_COMPLETE } from '../../../../test/support/real-world-sse';
import { NativeStreamObserver } from './native-stream-observer';

function observe(body: string, chunkBytes = body.length) {
  const observer = new NativeStreamObserver();
  const flagged: boolean[] = [];
  for (let offset = 0; offset < body.length; offset += chunkBytes) flagged.push(observer.push(Buffer.from(body.slice(offset, offset + chunkBytes))));
  const unterminated = observer.unterminated;
  return { observer, flagged, unterminated, final: observer.finish() };
}

describe('NativeStreamObserver', () => {
  describe.each(RESPONSES_COMPLETE)('a stream that $name', ({ body, expected }) => {
    it.each([undefined, 9])('ends with the final response and its usage (cut every %s bytes)', (chunkBytes) => {
      const { observer, final } = observe(body, chunkBytes);
      expect(observer.ended).toBe(true);
      expect(final).toMatchObject({ status: 'completed', usage: { input_tokens: expected.inputTokens, output_tokens: expected.outputTokens } });
    });
  });

  it('says when the last event came without its blank line, so the relay can end it', () => {
    expect(observe(RESPONSES_COMPLETE[0].body).unterminated).toBe(true);
    expect(observe(`${RESPONSES_COMPLETE[0].body}\n\n`).unterminated).toBe(false);
  });

  it('finds the terminal event of a server that sends no event names and writes `type` last', () => {
    const unnamed = RESPONSES_COMPLETE[1].body.replace(/event: [^\r\n]+\r\n/g, '');
    const { observer, final } = observe(unnamed);
    expect(observer.ended).toBe(true);
    expect(final).toMatchObject({ id: 'resp_rw1', status: 'completed' });
  });

  it('is not complete on deltas alone, whatever the field order', () => {
    const deltas = RESPONSES_COMPLETE[1].body.split('event: response.completed')[0];
    expect(observe(deltas).observer.ended).toBe(false);
  });

  it('flags the chunk that carries a last error event without its blank line, for redaction', () => {
    const { observer, flagged, final } = observe(
      'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1","status":"in_progress"}}\n\n' +
        'event: response.failed\ndata: {"type":"response.failed","response":{"id":"resp_1","status":"failed","error":{"message":"bad key sk-live-1234567890abcdef1234"}}}',
      100,
    );
    expect(flagged.slice(1)).toEqual(flagged.slice(1).map(() => true));
    expect(observer.ended).toBe(true);
    expect(final).toMatchObject({ id: 'resp_1', status: 'failed' });
  });
});
