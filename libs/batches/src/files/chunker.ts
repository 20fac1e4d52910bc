import { FileTooLargeError } from './file-too-large.error';

/**
 * Re-cuts `content` into pieces of exactly `chunkBytes` (the last one shorter), pulling the source
 * only as fast as the consumer takes pieces, so at most one piece is held in memory. Every piece
 * is the same buffer, refilled in place: a yielded piece is valid until the consumer asks for the
 * next one (the store has written it by then). A large upload would otherwise leave a megabyte of
 * garbage per chunk, faster than the collector returns it. Throws FileTooLargeError as soon as
 * more than `maxBytes` arrived.
 */
export async function* chunkContent(content: AsyncIterable<Buffer>, chunkBytes: number, maxBytes: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.allocUnsafe(chunkBytes);
  let filled = 0;
  let total = 0;
  for await (const piece of content) {
    total += piece.length;
    if (total > maxBytes) throw new FileTooLargeError(maxBytes);
    let at = 0;
    while (at < piece.length) {
      // Copied, not referenced: the source may reuse its buffer once the loop asks for the next piece.
      const copied = piece.copy(chunk, filled, at, Math.min(piece.length, at + chunkBytes - filled));
      filled += copied;
      at += copied;
      if (filled === chunkBytes) {
        yield chunk;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield chunk.subarray(0, filled);
}
