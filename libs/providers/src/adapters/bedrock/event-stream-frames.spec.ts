import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { EventStreamFrameError, EventStreamFrames, headerString } from './event-stream-frames';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const frame = (eventType: string, payload: object) =>
  Buffer.from(
    codec.encode({
      headers: { ':event-type': { type: 'string', value: eventType }, ':message-type': { type: 'string', value: 'event' } },
      body: fromUtf8(JSON.stringify(payload)),
    }),
  );

describe('EventStreamFrames', () => {
  it('decodes frames split at every byte boundary, holding only the frame in progress', () => {
    const bytes = Buffer.concat([frame('messageStart', { role: 'assistant' }), frame('messageStop', { stopReason: 'end_turn' })]);
    const frames = new EventStreamFrames();
    const decoded = [];
    for (let offset = 0; offset < bytes.length; offset++) decoded.push(...frames.push(bytes.subarray(offset, offset + 1)));
    expect(decoded.map((message) => headerString(message, ':event-type'))).toEqual(['messageStart', 'messageStop']);
    expect(JSON.parse(toUtf8(decoded[1].body))).toEqual({ stopReason: 'end_turn' });
    expect(frames.hasPartialFrame).toBe(false);
  });

  it('reports a partial frame at the end of a cut stream', () => {
    const frames = new EventStreamFrames();
    expect(frames.push(frame('messageStart', {}).subarray(0, 12))).toEqual([]);
    expect(frames.hasPartialFrame).toBe(true);
  });

  it('rejects a frame whose checksum does not match', () => {
    const corrupt = frame('messageStart', { role: 'assistant' });
    corrupt[corrupt.length - 6] ^= 0xff;
    expect(() => new EventStreamFrames().push(corrupt)).toThrow(EventStreamFrameError);
  });

  it('rejects an impossible frame length instead of waiting for it', () => {
    expect(() => new EventStreamFrames().push(Buffer.from([0, 0, 0, 3, 0, 0, 0, 0]))).toThrow(EventStreamFrameError);
  });
});
