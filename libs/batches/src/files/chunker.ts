import { FileTooLargeError } from './file-too-large.error';

/**
 * Re-cuts `content` into pieces of exactly `chunkBytes` (the last one shorter), pulling the source
 * only as fast as the consumer takes pieces, so at most one piece is held in memory. Throws
 * FileTooLargeError as soon as more than `maxBytes` arrived.
 */
export async function* chunkContent(content: AsyncIterable<Buffer>, chunkBytes: number, maxBytes: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  for await (const piece of content) {
    total += piece.length;
    if (total > maxBytes) throw new FileTooLargeError(maxBytes);
    let rest = piece;
    while (pendingBytes + rest.length >= chunkBytes) {
      const take = chunkBytes - pendingBytes;
      pending.push(rest.subarray(0, take));
      yield Buffer.concat(pending, chunkBytes);
      rest = rest.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (rest.length > 0) {
      // A copy: the source may reuse its buffer once the loop asks for the next piece.
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}
