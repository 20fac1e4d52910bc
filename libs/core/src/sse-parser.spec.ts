import { SseParser } from './sse-parser';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('SseParser', () => {
  it('parses events split at arbitrary byte boundaries, including inside a UTF-8 character', () => {
    const stream = bytes('event: delta\ndata: {"text":"héllo"}\n\ndata: [DONE]\n\n');
    const parser = new SseParser();
    const events = [];
    for (let offset = 0; offset < stream.length; offset += 3) events.push(...parser.push(stream.subarray(offset, offset + 3)));
    expect(events).toEqual([
      { event: 'delta', data: '{"text":"héllo"}', id: undefined },
      { event: undefined, data: '[DONE]', id: undefined },
    ]);
  });

  it('handles CRLF and CR line endings, comments and multi-line data', () => {
    const parser = new SseParser();
    const events = parser.push(bytes(': keep-alive\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\r'));
    // The trailing CR could still be the start of a CRLF, so "c" completes with the next bytes.
    expect(events.map((event) => event.data)).toEqual(['a\nb']);
    expect(parser.push(bytes('data: d\n\n')).map((event) => event.data)).toEqual(['c', 'd']);
  });

  it('waits for the LF of a CRLF split across chunks', () => {
    const parser = new SseParser();
    expect(parser.push(bytes('data: x\r'))).toEqual([]);
    expect(parser.push(bytes('\n\r\n'))).toEqual([{ event: undefined, data: 'x', id: undefined }]);
  });

  it('reports a truncated final event', () => {
    const parser = new SseParser();
    parser.push(bytes('data: {"partial":'));
    expect(parser.hasPartialEvent).toBe(true);
    expect(parser.end()).toEqual([{ event: undefined, data: '{"partial":', id: undefined }]);
  });
});
