import { getSchemaPath } from '@nestjs/swagger';
import type { RequestBodyObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { OpenAIErrorEnvelopeDto } from '../openapi/error-envelope.dto';
import type { HotRouteDoc } from '../openapi/hot-route-doc';

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: getSchemaPath(OpenAIErrorEnvelopeDto) } } } });

const COMMON_ERRORS = {
  '401': error('Missing or invalid gateway key'),
  '404': error('Unknown model'),
  '502': error('Upstream failure'),
  '504': error('Upstream timeout'),
};

const SPEECH_BODY: SchemaObject = {
  type: 'object',
  required: ['model', 'input', 'voice'],
  properties: {
    model: { type: 'string', example: 'gpt-4o-mini-tts' },
    input: { type: 'string', description: 'The text to speak' },
    voice: {
      oneOf: [
        { type: 'string', example: 'alloy' },
        { type: 'object', properties: { id: { type: 'string' } } },
      ],
    },
    instructions: { type: 'string' },
    response_format: { type: 'string', enum: ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'], default: 'mp3' },
    speed: { type: 'number', minimum: 0.25, maximum: 4 },
    stream_format: { type: 'string', enum: ['audio', 'sse'], default: 'audio' },
  },
};

export const SPEECH_DOC: HotRouteDoc = {
  models: [OpenAIErrorEnvelopeDto],
  operation: {
    tags: ['OpenAI'],
    summary: 'Create speech (OpenAI, Azure OpenAI, Groq, OpenAI-compatible providers with audio)',
    description:
      'Relays the audio as it is generated, with the upstream Content-Type (or the one `response_format` implies). `stream_format: "sse"` relays ' +
      '`speech.audio.delta` / `speech.audio.done` events. Failover to the next target of the plan happens before the first audio byte.',
    security: [{ bearer: [] }],
    requestBody: { required: true, content: { 'application/json': { schema: SPEECH_BODY } } },
    responses: {
      '200': {
        description: 'The audio, streamed',
        content: { 'audio/mpeg': { schema: { type: 'string', format: 'binary' } }, 'text/event-stream': { schema: { type: 'string' } } },
      },
      '400': error('Missing model/input/voice, an unknown format, or a provider without speech'),
      ...COMMON_ERRORS,
    },
  },
};

function formBody(translation: boolean): RequestBodyObject {
  const properties: Record<string, SchemaObject> = {
    file: { type: 'string', format: 'binary', description: 'The audio (flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav, webm), at most AUDIO_MAX_BYTES' },
    model: { type: 'string', example: translation ? 'whisper-1' : 'gpt-4o-transcribe' },
    prompt: { type: 'string' },
    response_format: { type: 'string', enum: ['json', 'text', 'srt', 'verbose_json', 'vtt'], default: 'json' },
    temperature: { type: 'number' },
  };
  if (!translation) {
    Object.assign(properties, {
      language: { type: 'string', description: 'ISO-639-1 code of the input audio' },
      'timestamp_granularities[]': { type: 'array', items: { type: 'string', enum: ['word', 'segment'] } },
      'include[]': { type: 'array', items: { type: 'string', enum: ['logprobs'] } },
      stream: { type: 'boolean', description: 'Relays `transcript.text.delta` / `transcript.text.done` events' },
      chunking_strategy: { description: '`auto` or a server_vad object' },
    });
  }
  return { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file', 'model'], properties } } } };
}

function textDoc(translation: boolean): HotRouteDoc {
  return {
    models: [OpenAIErrorEnvelopeDto],
    operation: {
      tags: ['OpenAI'],
      summary: translation ? 'Translate audio into English text' : 'Transcribe audio into text',
      description:
        'OpenAI multipart form, parsed as it streams; the file is spooled (bounded memory, then a temporary file) and sent on with `model` ' +
        "rewritten for the resolved target. The answer is relayed with the upstream's Content-Type (JSON for json/verbose_json, text/plain for text/srt/vtt).",
      security: [{ bearer: [] }],
      requestBody: formBody(translation),
      responses: {
        '200': {
          description: translation ? 'The translation' : 'The transcription (an event stream with `stream: true`)',
          content: { 'application/json': { schema: { type: 'object' } }, 'text/plain': { schema: { type: 'string' } }, 'text/event-stream': { schema: { type: 'string' } } },
        },
        '400': error('Missing model/file, a form that is not multipart, or a provider without audio'),
        '413': error('File over AUDIO_MAX_BYTES'),
        ...COMMON_ERRORS,
      },
    },
  };
}

export const TRANSCRIPTIONS_DOC = textDoc(false);
export const TRANSLATIONS_DOC = textDoc(true);
