import { createHash } from 'node:crypto';

/** The Content-Type OpenAI answers each speech `response_format` with. */
export const SPEECH_CONTENT_TYPES: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

/** Deterministic "audio" for a speech request: `size` bytes derived from the input text. */
export function speechBytes(input: string, size: number): Buffer {
  const seed = createHash('sha256').update(input).digest();
  const bytes = Buffer.alloc(size);
  for (let index = 0; index < size; index++) bytes[index] = seed[index % seed.length] ^ (index & 0xff);
  return bytes;
}

/** The text the fake "hears" in a file: its length and digest, so a test can prove the bytes passed through. */
export function heardText(file: Buffer): string {
  return `Heard ${file.length} bytes, sha256 ${createHash('sha256').update(file).digest('hex').slice(0, 16)}.`;
}

/** Token usage as gpt-4o-transcribe reports it. */
export function tokenUsage(file: Buffer, text: string) {
  const audio = Math.max(1, Math.ceil(file.length / 1000));
  const output = Math.ceil(text.length / 4);
  return { type: 'tokens', input_tokens: audio + 7, input_token_details: { text_tokens: 7, audio_tokens: audio }, output_tokens: output, total_tokens: audio + 7 + output };
}

/** Duration usage as whisper-1 reports it (whole seconds, rounded up). */
export function durationOf(file: Buffer): number {
  return Math.round((file.length / 16_000) * 100) / 100;
}

/** One transcription document in a `response_format` (OpenAI's createTranscription/createTranslation). */
export function transcriptDocument(format: string, text: string, task: 'transcribe' | 'translate', usage: Record<string, unknown> | undefined, duration: number) {
  switch (format) {
    case 'text':
      return { type: 'text/plain; charset=utf-8', body: `${text}\n` };
    case 'srt':
      return { type: 'text/plain; charset=utf-8', body: `1\n00:00:00,000 --> 00:00:02,000\n${text}\n\n` };
    case 'vtt':
      return { type: 'text/plain; charset=utf-8', body: `WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n${text}\n\n` };
    case 'verbose_json': {
      const segments = [{ id: 0, seek: 0, start: 0, end: duration, text, tokens: [50364, 2425], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.1, no_speech_prob: 0.01 }];
      const body = { task, language: 'english', duration, text, segments, ...(usage ? { usage } : {}) };
      return { type: 'application/json', body: JSON.stringify(body) };
    }
    default:
      return { type: 'application/json', body: JSON.stringify({ text, ...(usage ? { usage } : {}) }) };
  }
}

/** `transcript.text.delta` events then `transcript.text.done`, as OpenAI streams a transcription. */
export function transcriptEvents(text: string, usage: Record<string, unknown>): string[] {
  const words = text.split(' ');
  const deltas = words.map((word, index) => ({ type: 'transcript.text.delta', delta: index === 0 ? word : ` ${word}`, logprobs: [] }));
  return [...deltas, { type: 'transcript.text.done', text, usage, logprobs: [] }].map((event) => `data: ${JSON.stringify(event)}\n\n`);
}

/** `speech.audio.delta` events (base64 audio) then `speech.audio.done` with usage. */
export function speechEvents(audio: Buffer, input: string): string[] {
  const half = Math.ceil(audio.length / 2);
  const deltas = [audio.subarray(0, half), audio.subarray(half)].map((part) => ({ type: 'speech.audio.delta', audio: part.toString('base64') }));
  const inputTokens = Math.ceil(input.length / 4);
  const done = { type: 'speech.audio.done', usage: { input_tokens: inputTokens, output_tokens: 120, total_tokens: inputTokens + 120 } };
  return [...deltas, done].map((event) => `data: ${JSON.stringify(event)}\n\n`);
}
