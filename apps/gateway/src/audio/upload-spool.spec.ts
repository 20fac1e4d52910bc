import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { GatewayError } from '@app/core';
import { UploadSpool } from './upload-spool';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const chunksOf = (total: number, size: number): Buffer[] =>
  Array.from({ length: Math.ceil(total / size) }, (_, index) => Buffer.alloc(Math.min(size, total - index * size), index & 0xff));

/** Spool directories under os.tmpdir() that were not there `before`. */
function spoolDirs(before: ReadonlySet<string> = new Set()): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('switchyard-audio-') && !before.has(name));
}

describe('UploadSpool', () => {
  it('keeps a small upload in memory and replays it as often as asked', async () => {
    const source = chunksOf(3000, 1000);
    const spool = await UploadSpool.fill(Readable.from(source), 10_000, 4096);
    expect(spool.spilled).toBe(false);
    expect(spool.size).toBe(3000);
    expect((await collect(spool.open())).equals(Buffer.concat(source))).toBe(true);
    expect((await collect(spool.open())).equals(Buffer.concat(source))).toBe(true);
    await spool.dispose();
  });

  it('spills past its memory budget to a temporary file, replays memory + file in order, and removes the file on dispose', async () => {
    const before = new Set(spoolDirs());
    const source = chunksOf(50_000, 4096);
    const spool = await UploadSpool.fill(Readable.from(source), 100_000, 8192);
    expect(spool.spilled).toBe(true);
    expect(spool.size).toBe(50_000);
    for (let replay = 0; replay < 2; replay++) expect((await collect(spool.open())).equals(Buffer.concat(source))).toBe(true);
    expect(spoolDirs(before)).toHaveLength(1);
    await spool.dispose();
    expect(spoolDirs(before)).toEqual([]);
    expect(() => spool.open()).toThrow('disposed');
  });

  it('refuses an upload over its limit with a 413 naming the file, and leaves no file behind', async () => {
    const pulled: number[] = [];
    async function* source() {
      for (let index = 0; index < 100; index++) {
        pulled.push(index);
        yield Buffer.alloc(4096);
      }
    }
    const before = new Set(spoolDirs());
    const error = (await UploadSpool.fill(source(), 20_000, 8192).catch((caught: unknown) => caught)) as GatewayError;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(413);
    expect(error.param).toBe('file');
    // It stopped reading as soon as the limit was passed.
    expect(pulled.length).toBe(5);
    expect(spoolDirs(before)).toEqual([]);
  });

  it('removes a partly written file when the source breaks', async () => {
    async function* source() {
      yield Buffer.alloc(10_000);
      yield Buffer.alloc(10_000);
      throw new Error('client went away');
    }
    const before = new Set(spoolDirs());
    await expect(UploadSpool.fill(source(), 100_000, 4096)).rejects.toThrow('client went away');
    expect(spoolDirs(before)).toEqual([]);
  });
});
