import { audioUsage } from './audio-usage';

describe('audioUsage', () => {
  it('reads gpt-4o-transcribe token usage with its audio tokens', () => {
    const usage = { type: 'tokens', input_tokens: 14, input_token_details: { text_tokens: 4, audio_tokens: 10 }, output_tokens: 101, total_tokens: 115 };
    expect(audioUsage({ text: 'x', usage }, 'transcription')).toEqual({ inputTokens: 14, outputTokens: 101, cachedTokens: 0, reasoningTokens: 0, audioInputTokens: 10 });
  });

  it('counts speech output tokens as audio tokens when no breakdown is given', () => {
    expect(audioUsage({ type: 'speech.audio.done', usage: { input_tokens: 5, output_tokens: 120, total_tokens: 125 } }, 'speech')).toMatchObject({
      inputTokens: 5,
      outputTokens: 120,
      audioOutputTokens: 120,
    });
  });

  it('reads whisper duration usage, and verbose_json duration where there is no usage', () => {
    expect(audioUsage({ text: 'x', usage: { type: 'duration', seconds: 9 } }, 'transcription')).toMatchObject({ audioSeconds: 9, inputTokens: 0 });
    expect(audioUsage({ text: 'x', duration: 8.47 }, 'transcription')).toMatchObject({ audioSeconds: 8.47 });
  });

  it('reports nothing for answers without usage, or with nonsense', () => {
    expect(audioUsage({ text: 'x' }, 'transcription')).toBeUndefined();
    expect(audioUsage({ text: 'x', duration: 'long' }, 'transcription')).toBeUndefined();
    expect(audioUsage({ usage: { type: 'duration', seconds: -1 } }, 'transcription')).toBeUndefined();
  });
});
