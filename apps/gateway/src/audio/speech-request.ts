import { GatewayError } from '@app/core';

/** The speech fields the gateway reads; everything else goes upstream untouched. */
export interface SpeechFields {
  readonly model: string;
  readonly input: string;
  /** What the answer's Content-Type is when the upstream does not say. */
  readonly contentType: string;
  readonly sse: boolean;
}

/** The Content-Type each `response_format` implies (OpenAI's createSpeech; mp3 by default). */
const FORMAT_TYPES: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

/** Checks a POST /v1/audio/speech body: `model`, `input` and `voice` required, formats known. */
export function readSpeechFields(body: Record<string, unknown>): SpeechFields {
  const model = requiredString(body, 'model');
  const input = requiredString(body, 'input');
  const { voice } = body;
  if (voice === undefined || voice === null || voice === '') throw missing('voice');
  // A built-in voice name, or `{ id }` of a custom voice.
  if (typeof voice !== 'string' && (typeof voice !== 'object' || Array.isArray(voice)))
    throw GatewayError.invalidRequest("'voice' must be a string or an object with an 'id'.", 'voice', 'invalid_type');
  const format = body.response_format ?? 'mp3';
  if (typeof format !== 'string' || !(format in FORMAT_TYPES)) {
    throw GatewayError.invalidRequest(`'response_format' must be one of ${Object.keys(FORMAT_TYPES).join(', ')}.`, 'response_format', 'invalid_value');
  }
  const streamFormat = body.stream_format ?? 'audio';
  if (streamFormat !== 'audio' && streamFormat !== 'sse') throw GatewayError.invalidRequest("'stream_format' must be 'audio' or 'sse'.", 'stream_format', 'invalid_value');
  return { model, input, contentType: FORMAT_TYPES[format], sse: streamFormat === 'sse' };
}

function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') throw missing(name);
  if (typeof value !== 'string') throw GatewayError.invalidRequest(`'${name}' must be a string.`, name, 'invalid_type');
  return value;
}

export function missing(name: string): GatewayError {
  return GatewayError.invalidRequest(`Missing required parameter: '${name}'.`, name, 'missing_required_parameter');
}
