import { randomBytes } from 'node:crypto';
import type { UploadedPart, UploadForm } from './multipart-upload';

/**
 * Re-encodes a parsed upload as multipart/form-data for a provider, streaming the file part
 * through: the fields known before the file go first, those that follow it after, and the names
 * in `skip` (Switchyard's own, like `provider`) not at all.
 */
export function encodeMultipart(part: UploadedPart, form: UploadForm, skip: readonly string[]): { contentType: string; body: AsyncIterable<Buffer> } {
  const boundary = `----switchyard-${randomBytes(12).toString('hex')}`;
  const sent = new Set(skip);
  function* fields(): Generator<Buffer> {
    for (const [name, value] of form.fields) {
      if (sent.has(name)) continue;
      sent.add(name);
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${escape(name)}"\r\n\r\n${value}\r\n`);
    }
  }
  async function* body(): AsyncGenerator<Buffer> {
    yield* fields();
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escape(part.filename)}"\r\nContent-Type: ${part.mimeType}\r\n\r\n`);
    for await (const chunk of part.stream) yield chunk as Buffer;
    yield Buffer.from('\r\n');
    await form.finished;
    yield* fields();
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: body() };
}

/** As browsers escape form names and file names (WHATWG HTML, multipart/form-data encoding). */
function escape(text: string): string {
  return text.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}
