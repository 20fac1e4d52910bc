import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** A text field of a form. */
export interface FormField {
  readonly name: string;
  readonly value: string;
}

/** A file part: its bytes come from `open()` (a fresh stream per body written) and are `size` long. */
export interface FormFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  open(): Readable;
}

/** A multipart/form-data body ready to send: its stream, content type and exact length. */
export interface MultipartBody {
  readonly contentType: string;
  readonly contentLength: number;
  readonly body: Readable;
}

/**
 * Writes a multipart/form-data body (RFC 7578) as a stream: the fields, then the file, whose bytes
 * are piped from its source as the consumer reads (Readable.from pulls on demand, so a slow
 * upstream holds the source instead of the gateway buffering it). The length is computed up
 * front, so upstreams that refuse chunked uploads get a Content-Length.
 */
export function multipartBody(fields: readonly FormField[], file: FormFile, boundary = newBoundary()): MultipartBody {
  const heads = fields.map((field) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(field.name)}"\r\n\r\n${field.value}\r\n`));
  const fileHead = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.name)}"; filename="${quoted(file.filename)}"\r\n` +
      `Content-Type: ${file.contentType.replace(/[\r\n]/g, '')}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const contentLength = heads.reduce((total, head) => total + head.length, 0) + fileHead.length + file.size + tail.length;
  return { contentType: `multipart/form-data; boundary=${boundary}`, contentLength, body: Readable.from(parts(heads, fileHead, file, tail), { objectMode: false }) };
}

async function* parts(heads: readonly Buffer[], fileHead: Buffer, file: FormFile, tail: Buffer): AsyncGenerator<Buffer> {
  yield* heads;
  yield fileHead;
  const source = file.open();
  try {
    for await (const chunk of source) yield chunk as Buffer;
  } finally {
    // The consumer gave up (upstream failed mid-upload): the spool's file must not stay open.
    source.destroy();
  }
  yield tail;
}

/** A boundary that cannot occur in the content by chance (128 random bits). */
export function newBoundary(): string {
  return `----SwitchyardFormBoundary${randomBytes(16).toString('hex')}`;
}

/** Quotes a name as browsers do (WHATWG form encoding): `"` → %22, CR → %0D, LF → %0A. */
function quoted(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
