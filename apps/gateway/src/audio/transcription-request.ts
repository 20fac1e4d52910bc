import { GatewayError } from '@app/core';
import type { AudioForm, AudioUpload } from './audio-form-reader';
import type { FormField } from './multipart-writer';
import { missing } from './speech-request';

/** A transcription/translation form checked for what the gateway reads. */
export interface TranscriptionRequest {
  readonly model: string;
  /** The client's fields except `model`, array names normalised to their bracketed form. */
  readonly fields: readonly FormField[];
  readonly file: AudioUpload;
  readonly stream: boolean;
}

/**
 * Array fields OpenAI takes with brackets (`timestamp_granularities[]`, `include[]`, as the SDKs
 * send them); the bare name, as curl users write it, is accepted and sent on bracketed.
 */
const ARRAY_FIELDS: ReadonlySet<string> = new Set(['timestamp_granularities', 'include']);

/** Checks a form: `model` and `file` required (400 naming them); other fields pass untouched. */
export function readTranscriptionRequest(form: AudioForm): TranscriptionRequest {
  let model: string | undefined;
  let stream = false;
  const fields: FormField[] = [];
  for (const field of form.fields) {
    if (field.name === 'model') model = field.value;
    else fields.push(ARRAY_FIELDS.has(field.name) ? { name: `${field.name}[]`, value: field.value } : field);
    if (field.name === 'stream') stream = readBoolean(field.value);
  }
  if (!model) throw missing('model');
  if (!form.file) throw missing('file');
  return { model, fields, file: form.file, stream };
}

function readBoolean(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw GatewayError.invalidRequest("'stream' must be true or false.", 'stream', 'invalid_type');
}
