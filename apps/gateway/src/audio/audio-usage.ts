import { tokenCount, type TokenUsage } from '@app/core';

/**
 * The usage of an audio answer, from what the provider reports. Two shapes exist: token usage
 * (gpt-4o-transcribe / gpt-4o-mini-tts: `{type:"tokens", input_tokens, input_token_details:
 * {text_tokens, audio_tokens}, output_tokens}`, and the `usage` of `speech.audio.done`) and
 * duration usage (whisper: `{type:"duration", seconds}`, or only verbose_json's top-level
 * `duration`, as Groq and older servers answer). Undefined when the answer reports neither.
 */
export function audioUsage(answer: Record<string, unknown>, direction: 'transcription' | 'speech'): TokenUsage | undefined {
  const usage = answer.usage;
  if (usage && typeof usage === 'object') {
    const raw = usage as Record<string, unknown>;
    if (raw.type === 'duration') return durationUsage(raw.seconds);
    if (raw.input_tokens !== undefined || raw.output_tokens !== undefined) return tokenUsage(raw, direction);
  }
  return answer.duration === undefined ? undefined : durationUsage(answer.duration);
}

function tokenUsage(raw: Record<string, unknown>, direction: 'transcription' | 'speech'): TokenUsage {
  const inputDetails = details(raw.input_token_details);
  const outputDetails = details(raw.output_token_details);
  const outputTokens = tokenCount(raw.output_tokens);
  const usage: TokenUsage = { inputTokens: tokenCount(raw.input_tokens), outputTokens, cachedTokens: 0, reasoningTokens: 0 };
  if (inputDetails?.audio_tokens !== undefined) usage.audioInputTokens = tokenCount(inputDetails.audio_tokens);
  // Speech output is audio: where the provider gives no breakdown, all of it is audio tokens.
  if (outputDetails?.audio_tokens !== undefined) usage.audioOutputTokens = tokenCount(outputDetails.audio_tokens);
  else if (direction === 'speech') usage.audioOutputTokens = outputTokens;
  return usage;
}

function durationUsage(seconds: unknown): TokenUsage | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return undefined;
  return { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, audioSeconds: seconds };
}

function details(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}
