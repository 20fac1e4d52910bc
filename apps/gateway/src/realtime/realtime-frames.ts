import { type TokenUsage, tokenCount } from '@app/core';

/** The server events the gateway reads; every other frame is relayed without being looked at. */
export type ObservedEvent = 'response.created' | 'response.done' | 'transcription.completed';

const NEEDLES: readonly (readonly [Buffer, ObservedEvent])[] = [
  [Buffer.from('"response.done"'), 'response.done'],
  [Buffer.from('"response.created"'), 'response.created'],
  [Buffer.from('"conversation.item.input_audio_transcription.completed"'), 'transcription.completed'],
];
const TYPE_KEY = Buffer.from('"type"');
/** Servers write `type` first or right after `event_id`: within this many bytes. */
const HEAD_BYTES = 256;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * Which observed event a server text frame is, without parsing it: the top-level `"type"` key is
 * looked for in the first bytes only and its value compared in place, so the audio deltas that
 * make up most of the traffic (hundreds of KB of base64) cost a few byte comparisons. A frame
 * whose first `"type"` is not at the top level (a server writing `response` before `type`) is
 * scanned whole, then parsed to confirm.
 */
export function observedEventOf(frame: Buffer): ObservedEvent | undefined {
  const head = frame.length > HEAD_BYTES ? frame.subarray(0, HEAD_BYTES) : frame;
  const typeAt = head.indexOf(TYPE_KEY);
  if (typeAt === -1 || depthAt(frame, typeAt) !== 1) return typeAt === -1 && frame.length <= HEAD_BYTES ? undefined : scanWhole(frame);
  let at = skipSpaces(frame, typeAt + TYPE_KEY.length);
  if (frame[at] !== COLON) return undefined;
  at = skipSpaces(frame, at + 1);
  for (const [needle, event] of NEEDLES) {
    if (frame.length >= at + needle.length && frame.compare(needle, 0, needle.length, at, at + needle.length) === 0) return event;
  }
  return undefined;
}

/** The token usage an observed event reports (`response.usage`, or a transcription's `usage`), from its parsed JSON. */
export function usageOf(event: Record<string, unknown>): TokenUsage | undefined {
  const response = event.response as Record<string, unknown> | undefined;
  const raw = (event.type === 'response.done' ? response?.usage : event.usage) as Record<string, unknown> | null | undefined;
  // Transcriptions billed by duration (`type: "duration"`) carry no tokens.
  if (!raw || typeof raw !== 'object' || raw.type === 'duration') return undefined;
  const input = (raw.input_token_details ?? {}) as Record<string, unknown>;
  const output = (raw.output_token_details ?? {}) as Record<string, unknown>;
  return {
    inputTokens: tokenCount(raw.input_tokens),
    outputTokens: tokenCount(raw.output_tokens),
    cachedTokens: tokenCount(input.cached_tokens),
    reasoningTokens: 0,
    audioInputTokens: tokenCount(input.audio_tokens),
    audioOutputTokens: tokenCount(output.audio_tokens),
  };
}

/** Parses a frame already known to be an observed event; undefined when it is not JSON after all. */
export function parseEvent(frame: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(frame.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function scanWhole(frame: Buffer): ObservedEvent | undefined {
  if (!NEEDLES.some(([needle]) => frame.includes(needle))) return undefined;
  const type = parseEvent(frame)?.type;
  return NEEDLES.find(([needle]) => needle.toString() === `"${String(type)}"`)?.[1];
}

/** Object/array nesting depth at `end` (strings skipped), over the few bytes before the first `"type"`. */
function depthAt(frame: Buffer, end: number): number {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < end; index++) {
    const byte = frame[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === 0x7b || byte === 0x5b) depth++;
    else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return inString ? -1 : depth;
}

function skipSpaces(frame: Buffer, at: number): number {
  while (at < frame.length && (frame[at] === 0x20 || frame[at] === 0x0a || frame[at] === 0x0d || frame[at] === 0x09)) at++;
  return at;
}
