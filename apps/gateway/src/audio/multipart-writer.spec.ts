import { Readable } from 'node:stream';
import busboy from 'busboy';
import { multipartBody, newBoundary } from './multipart-writer';

/** Parses a body back with busboy, as an upstream would. */
function parse(body: Buffer, contentType: string): Promise<{ fields: Array<[string, string]>; file?: { name: string; filename: string; type: string; bytes: Buffer } }> {
  return new Promise((resolve, reject) => {
    const fields: Array<[string, string]> = [];
    let file: { name: string; filename: string; type: string; bytes: Buffer } | undefined;
    const parser = busboy({ headers: { 'content-type': contentType } });
    parser.on('field', (name, value) => fields.push([name, value]));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (file = { name, filename: info.filename ?? '', type: info.mimeType, bytes: Buffer.concat(chunks) }));
    });
    parser.on('close', () => resolve({ fields, file }));
    parser.on('error', reject);
    parser.end(body);
  });
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const audio = Buffer.from(Array.from({ length: 70_000 }, (_, index) => index & 0xff));
const fileOf = (bytes: Buffer, filename = 'clip.wav') => ({
  name: 'file',
  filename,
  contentType: 'audio/wav',
  size: bytes.length,
  open: () => Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
});

describe('multipartBody', () => {
  it('writes fields and the file so that a multipart parser reads them back exactly, with the announced length', async () => {
    const form = multipartBody(
      [
        { name: 'model', value: 'whisper-1' },
        { name: 'timestamp_granularities[]', value: 'word' },
        { name: 'prompt', value: 'Ünïcödé\r\nand a second line' },
      ],
      fileOf(audio),
    );
    const body = await collect(form.body);
    expect(body.length).toBe(form.contentLength);
    expect(form.contentType).toMatch(/^multipart\/form-data; boundary=----SwitchyardFormBoundary[0-9a-f]{32}$/);
    const parsed = await parse(body, form.contentType);
    expect(parsed.fields).toEqual([
      ['model', 'whisper-1'],
      ['timestamp_granularities[]', 'word'],
      ['prompt', 'Ünïcödé\r\nand a second line'],
    ]);
    expect(parsed.file).toMatchObject({ name: 'file', filename: 'clip.wav', type: 'audio/wav' });
    expect(parsed.file!.bytes.equals(audio)).toBe(true);
  });

  it('quotes names and filenames that would break the part headers', async () => {
    const form = multipartBody([{ name: 'we"ird', value: 'x' }], fileOf(audio.subarray(0, 10), 'a"b\r\n.wav'));
    const parsed = await parse(await collect(form.body), form.contentType);
    expect(parsed.fields).toEqual([['we%22ird', 'x']]);
    expect(parsed.file!.filename).toBe('a%22b%0D%0A.wav');
  });

  it('pulls the file only as the consumer reads (no buffering ahead), and closes its source when the consumer gives up', async () => {
    let pulled = 0;
    let destroyed = false;
    const source = new Readable({
      read() {
        pulled++;
        this.push(Buffer.alloc(16 * 1024, 1));
      },
      destroy(error, callback) {
        destroyed = true;
        callback(error);
      },
    });
    const form = multipartBody([], { name: 'file', filename: 'endless.wav', contentType: 'audio/wav', size: 0, open: () => source });
    const reader = form.body[Symbol.asyncIterator]();
    for (let index = 0; index < 3; index++) await reader.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // A body that is not read must not keep draining its source into memory.
    expect(pulled).toBeLessThan(10);
    form.body.destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(destroyed).toBe(true);
  });

  it('makes a new random boundary each time', () => {
    expect(newBoundary()).not.toBe(newBoundary());
  });
});
