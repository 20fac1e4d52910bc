import { chunkContent } from './chunker';
import { FileTooLargeError } from './file-too-large.error';

async function* from(pieces: readonly Buffer[]): AsyncGenerator<Buffer> {
  for (const piece of pieces) yield piece;
}

async function sizes(pieces: readonly Buffer[], chunkBytes: number, maxBytes = Infinity): Promise<{ sizes: number[]; joined: Buffer }> {
  const out: Buffer[] = [];
  for await (const chunk of chunkContent(from(pieces), chunkBytes, maxBytes)) out.push(chunk);
  return { sizes: out.map((chunk) => chunk.length), joined: Buffer.concat(out) };
}

describe('chunkContent', () => {
  const data = Buffer.from(Array.from({ length: 2_500 }, (_, i) => i % 251));

  it('re-cuts any piece sizes into full chunks and one shorter last chunk, keeping every byte in order', async () => {
    for (const pieceSize of [1, 7, 1_000, 1_024, 2_500]) {
      const pieces = [];
      for (let at = 0; at < data.length; at += pieceSize) pieces.push(data.subarray(at, at + pieceSize));
      const result = await sizes(pieces, 1_024);
      expect(result.sizes).toEqual([1_024, 1_024, 452]);
      expect(result.joined.equals(data)).toBe(true);
    }
  });

  it('yields nothing for empty content and no empty last chunk for an exact multiple', async () => {
    expect((await sizes([], 1_024)).sizes).toEqual([]);
    expect((await sizes([data.subarray(0, 2_048)], 1_024)).sizes).toEqual([1_024, 1_024]);
  });

  it('does not keep a reference to a buffer the source reuses', async () => {
    const reused = Buffer.from('abc');
    async function* source(): AsyncGenerator<Buffer> {
      yield reused;
      reused.write('xyz');
      yield reused;
    }
    const out: Buffer[] = [];
    for await (const chunk of chunkContent(source(), 100, Infinity)) out.push(chunk);
    expect(Buffer.concat(out).toString()).toBe('abcxyz');
  });

  it('throws FileTooLargeError as soon as the content passes maxBytes', async () => {
    await expect(sizes([data], 1_024, 2_499)).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(sizes([data], 1_024, 2_500)).resolves.toMatchObject({ sizes: [1_024, 1_024, 452] });
  });
});
