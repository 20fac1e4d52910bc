import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { GatewayError } from '@app/core';
import { ClientClosedError } from '../pipeline/body-reader';

/** The `file` part of an upload as busboy hands it over: its bytes stream, the rest is metadata. */
export interface UploadedPart {
  readonly stream: Readable;
  readonly filename: string;
  readonly mimeType: string;
}

/** The form's text fields, complete once `finished` resolves (fields may follow the file). */
export interface UploadForm {
  readonly fields: ReadonlyMap<string, string>;
  readonly finished: Promise<void>;
}

// Far more than OpenAI's form has (purpose, expires_after[…], provider); a form is not a store.
const LIMITS = { files: 1, fields: 16, parts: 20, fieldSize: 16 * 1024, fieldNameSize: 100 };

/**
 * Parses a multipart/form-data upload as a stream (busboy): fields are collected, the one `file`
 * part is handed to `onFile` as it starts, and the request is read only as fast as `onFile`
 * consumes the part (busboy stops taking input while the part's buffer is full, and the request
 * is paused through pipe()). Other file parts are skipped. When `onFile` fails, the rest of the
 * body is drained so the client can read the error answer.
 */
export async function receiveMultipart<T>(request: IncomingMessage, onFile: (part: UploadedPart, form: UploadForm) => Promise<T>): Promise<T> {
  const parser = open(request);
  const fields = new Map<string, string>();
  let part: Readable | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    parser.once('close', resolve);
    parser.once('error', (error: Error) => reject(badForm(error)));
  });
  // Without a listener on the file, an early failure would surface as an unhandled rejection.
  finished.catch(() => undefined);
  request.once('close', () => {
    if (!request.complete) part?.destroy(new ClientClosedError());
  });
  const handled = new Promise<T>((resolve, reject) => {
    parser.on('field', (name, value) => fields.set(name, value));
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || part !== undefined) return void stream.resume();
      part = stream;
      onFile({ stream, filename: info.filename || 'file', mimeType: info.mimeType }, { fields, finished }).then(resolve, reject);
    });
    finished.then(() => part === undefined && reject(GatewayError.invalidRequest("Missing required parameter: 'file'.", 'file')), reject);
  });
  request.pipe(parser);
  try {
    return await handled;
  } catch (error) {
    request.unpipe(parser);
    request.resume();
    throw request.complete || error instanceof GatewayError ? error : new ClientClosedError();
  }
}

function open(request: IncomingMessage): busboy.Busboy {
  const type = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw GatewayError.invalidRequest("The request must be multipart/form-data with a 'file' part and a 'purpose' field.", 'file', 'invalid_content_type');
  }
  try {
    return busboy({ headers: request.headers, limits: LIMITS });
  } catch (error) {
    throw badForm(error as Error);
  }
}

function badForm(error: Error): GatewayError {
  if (error instanceof GatewayError) return error;
  return GatewayError.invalidRequest(`The multipart body could not be parsed: ${error.message}.`, 'file', 'invalid_multipart');
}
