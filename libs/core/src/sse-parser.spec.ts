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

  it('reads `data:` without the space and skips comment lines between events', () => {
    const parser = new SseParser();
    const events = parser.push(bytes(': OPENROUTER PROCESSING\n\ndata:{"a":1}\n\n: keep-alive\n\nevent:delta\ndata:  two spaces\n\n'));
    // Only one leading space is part of the framing (WHATWG); the second belongs to the value.
    expect(events).toEqual([
      { event: undefined, data: '{"a":1}', id: undefined },
      { event: 'delta', data: ' two spaces', id: undefined },
    ]);
  });

  it('flushes a last event that ended without its blank line, whatever the line ending', () => {
    for (const tail of ['data: last', 'data: last\n', 'data: last\r', 'data: last\r\n']) {
      const parser = new SseParser();
      expect(parser.push(bytes(`data: first\r\n\r\n${tail}`)).map((event) => event.data)).toEqual(['first']);
      expect(parser.end().map((event) => event.data)).toEqual(['last']);
    }
  });

  it('flushes nothing at a tidy end, or after only a comment', () => {
    const tidy = new SseParser();
    tidy.push(bytes('data: a\n\n'));
    expect(tidy.hasPartialEvent).toBe(false);
    expect(tidy.end()).toEqual([]);
    const comment = new SseParser();
    comment.push(bytes('data: a\n\n: keep-alive'));
    expect(comment.end()).toEqual([]);
  });

  it('names the event in progress, and forgets the name once the event is dispatched', () => {
    const parser = new SseParser();
    parser.push(bytes('event: error\ndata: {"type":"err'));
    expect(parser.partialEventName).toBe('error');
    parser.push(bytes('or"}\n\n'));
    expect(parser.partialEventName).toBeUndefined();
  });
});
