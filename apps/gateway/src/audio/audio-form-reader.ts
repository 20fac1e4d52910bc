import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { GatewayError } from '@app/core';
import { ClientClosedError } from '../pipeline/body-reader';
import { UploadSpool, uploadTooLarge } from './upload-spool';
import type { FormField } from './multipart-writer';

/** The uploaded audio of a form, spooled (see UploadSpool). */
export interface AudioUpload {
  readonly filename: string;
  readonly contentType: string;
  readonly spool: UploadSpool;
}

/** A transcription or translation form as the client sent it: its text fields in order, and the file. */
export interface AudioForm {
  readonly fields: readonly FormField[];
  readonly file?: AudioUpload;
}

/** Bytes a form may carry beyond the file (its text fields and part headers). */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
const LIMITS = { fields: 64, fieldSize: 64 * 1024, files: 1, parts: 80 };

/**
 * Parses an OpenAI audio form (multipart/form-data) as it streams in, with busboy. Text fields are
 * kept in arrival order, before or after the file; the `file` part is spooled (bounded memory,
 * see UploadSpool) because the target — which depends on `model` — may not be known yet when it
 * arrives. The size limit is checked on the declared length first, then on the bytes. Whatever
 * fails, a spool already written is removed before the error goes up.
 */
export async function readAudioForm(request: IncomingMessage, maxBytes: number): Promise<AudioForm> {
  if (Number(request.headers['content-length']) > maxBytes + FORM_OVERHEAD_BYTES) throw uploadTooLarge(maxBytes);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: request.headers, limits: LIMITS });
  } catch {
    throw GatewayError.invalidRequest("The request body must be multipart/form-data with a 'file' part.", 'file', 'invalid_content_type');
  }
  const fields: FormField[] = [];
  let upload: Promise<AudioUpload> | undefined;
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) reject(GatewayError.invalidRequest(`The form field '${name}' is longer than ${LIMITS.fieldSize} bytes.`, name, 'field_too_long'));
      else fields.push({ name, value });
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        reject(GatewayError.invalidRequest(`Unexpected file part '${name}': the audio goes in 'file'.`, name, 'unexpected_file'));
        return;
      }
      upload = UploadSpool.fill(stream, maxBytes).then((spool) => ({ filename: info.filename || 'audio', contentType: info.mimeType || 'application/octet-stream', spool }));
      upload.catch(reject);
    });
    parser.on('filesLimit', () => reject(GatewayError.invalidRequest("The form may carry one file, in 'file'.", 'file', 'too_many_files')));
    parser.on('fieldsLimit', () => reject(GatewayError.invalidRequest(`The form has more than ${LIMITS.fields} fields.`, undefined, 'too_many_fields')));
    parser.on('partsLimit', () => reject(GatewayError.invalidRequest(`The form has more than ${LIMITS.parts} parts.`, undefined, 'too_many_parts')));
    parser.on('error', (error) => reject(clientLeft(request) ? new ClientClosedError() : malformed(error)));
    parser.on('close', resolve);
    request.once('close', () => {
      if (!request.complete) reject(new ClientClosedError());
    });
  });
  request.pipe(parser);
  try {
    await parsed;
    return { fields, file: upload && (await upload) };
  } catch (error) {
    abandon(request, parser);
    await upload?.then((file) => file.spool.dispose()).catch(() => undefined);
    throw error;
  }
}

/**
 * Stops parsing and drains what the client still sends, so that it reads the error answer
 * instead of stalling on a full socket (the pipeline closes the connection after it).
 */
function abandon(request: IncomingMessage, parser: busboy.Busboy): void {
  request.unpipe(parser);
  parser.removeAllListeners('file');
  parser.on('error', () => undefined);
  parser.destroy();
  request.resume();
}

function clientLeft(request: IncomingMessage): boolean {
  return request.readableAborted || (request.destroyed && !request.complete);
}

function malformed(error: unknown): GatewayError {
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return GatewayError.invalidRequest(`The multipart form could not be parsed${detail}.`, undefined, 'invalid_multipart');
}
