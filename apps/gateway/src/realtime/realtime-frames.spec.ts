import { observedEventOf, parseEvent, usageOf } from './realtime-frames';

const frame = (text: string) => Buffer.from(text);

describe('observedEventOf: the pre-scan of server frames', () => {
  it.each([
    ['type first', '{"type":"response.done","event_id":"e1","response":{}}', 'response.done'],
    ['event_id first, as in the reference', '{"event_id":"e1","type":"response.done","response":{}}', 'response.done'],
    ['spaces and newlines around the colon', '{\n  "event_id": "e1",\n  "type" :  "response.done"\n}', 'response.done'],
    ['response.created', '{"type":"response.created","response":{}}', 'response.created'],
    ['a completed input transcription', '{"type":"conversation.item.input_audio_transcription.completed","usage":{}}', 'transcription.completed'],
    ['an audio delta', `{"type":"response.output_audio.delta","delta":"${'A'.repeat(200_000)}"}`, undefined],
    ['a text delta that mentions response.done', '{"type":"response.output_text.delta","delta":"\\"response.done\\""}', undefined],
    ['a type value that only starts like it', '{"type":"response.done_extra"}', undefined],
  ])('%s', (_name, text, expected) => {
    expect(observedEventOf(frame(text))).toBe(expected);
  });

  it('finds a response.done whose top-level type comes after a nested one', () => {
    const nestedFirst = `{"event_id":"e1","response":{"output":[{"type":"message","content":"${'x'.repeat(300)}"}]},"type":"response.done"}`;
    expect(observedEventOf(frame(nestedFirst))).toBe('response.done');
  });

  it('finds one whose type comes after a long prefix', () => {
    expect(observedEventOf(frame(`{"event_id":"${'e'.repeat(400)}","type":"response.done"}`))).toBe('response.done');
  });

  it('does not count a nested response.done type as the event type', () => {
    expect(observedEventOf(frame('{"event_id":"e","item":{"type":"response.done"},"type":"conversation.item.added"}'))).toBeUndefined();
  });
});

describe('usageOf', () => {
  it("reads response.done's usage with its text, audio and cached details", () => {
    const event = parseEvent(
      frame(
        JSON.stringify({
          type: 'response.done',
          response: {
            usage: {
              input_tokens: 132,
              output_tokens: 121,
              input_token_details: { text_tokens: 119, audio_tokens: 13, cached_tokens: 64 },
              output_token_details: { text_tokens: 30, audio_tokens: 91 },
            },
          },
        }),
      ),
    )!;
    expect(usageOf(event)).toEqual({ inputTokens: 132, outputTokens: 121, cachedTokens: 64, reasoningTokens: 0, audioInputTokens: 13, audioOutputTokens: 91 });
  });

  it('reads a token-billed transcription, and ignores duration-billed ones and responses without usage', () => {
    expect(
      usageOf({
        type: 'conversation.item.input_audio_transcription.completed',
        usage: { type: 'tokens', input_tokens: 17, output_tokens: 9, input_token_details: { audio_tokens: 17 } },
      }),
    ).toMatchObject({
      inputTokens: 17,
      outputTokens: 9,
      audioInputTokens: 17,
    });
    expect(usageOf({ type: 'conversation.item.input_audio_transcription.completed', usage: { type: 'duration', seconds: 3 } })).toBeUndefined();
    expect(usageOf({ type: 'response.done', response: { status: 'cancelled', usage: null } })).toBeUndefined();
  });

  it('parses only JSON objects', () => {
    expect(parseEvent(frame('not json'))).toBeUndefined();
    expect(parseEvent(frame('[1]'))).toBeUndefined();
  });
});
