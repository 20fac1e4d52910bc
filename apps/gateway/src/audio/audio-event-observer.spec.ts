import { AudioEventObserver } from './audio-event-observer';

const feed = (observer: AudioEventObserver, text: string, pieces = 7): void => {
  const size = Math.ceil(text.length / pieces);
  for (let start = 0; start < text.length; start += size) observer.push(Buffer.from(text.slice(start, start + size)));
};

describe('AudioEventObserver', () => {
  it('keeps the done event of a stream split anywhere, with its usage', () => {
    const observer = new AudioEventObserver();
    const usage = { type: 'tokens', input_tokens: 3, output_tokens: 2 };
    feed(observer, `data: {"type":"transcript.text.delta","delta":"Hi"}\n\ndata: {"type":"transcript.text.done","text":"Hi","usage":${JSON.stringify(usage)}}\n\n`);
    expect(observer.finish()).toEqual({ type: 'transcript.text.done', text: 'Hi', usage });
    expect(observer.ended).toBe(true);
  });

  it('sees a last event the server did not end with a blank line, and says it was unterminated', () => {
    const observer = new AudioEventObserver();
    feed(observer, 'data: {"type":"speech.audio.delta","audio":"AAAA"}\n\ndata: {"type":"speech.audio.done","usage":{"input_tokens":1,"output_tokens":2}}\n');
    expect(observer.unterminated).toBe(true);
    expect(observer.finish()).toMatchObject({ type: 'speech.audio.done' });
  });

  it('takes [DONE] as a clean end without usage (vLLM-style transcription streams)', () => {
    const observer = new AudioEventObserver();
    feed(observer, 'data: {"object":"transcription.chunk","choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n');
    expect(observer.finish()).toBeUndefined();
    expect(observer.ended).toBe(true);
  });

  it('reports a stream that broke off before its end', () => {
    const observer = new AudioEventObserver();
    feed(observer, 'data: {"type":"speech.audio.delta","audio":"AAAA"}\n\n');
    expect(observer.finish()).toBeUndefined();
    expect(observer.ended).toBe(false);
  });
});
