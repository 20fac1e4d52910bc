import { StringDecoder } from 'node:string_decoder';
import type { StreamResult } from '../pipeline/route-result';

/**
 * Relays a stream's chunks unchanged (one pull per chunk, so the responder's backpressure still
 * reaches the upstream) while keeping a copy of their text, up to `maxBytes`. `done` hears the
 * whole text once the source ended cleanly, or undefined when it failed, was left by the client
 * or grew past the limit. A client that leaves stops the source, as without the recorder.
 */
export async function* recordChunks(
  source: StreamResult['chunks'],
  maxBytes: number,
  done: (text: string | undefined) => void,
): AsyncGenerator<string | Buffer, string | Buffer | void> {
  const decoder = new StringDecoder('utf8');
  let parts: string[] | undefined = [];
  let size = 0;
  let outcome: 'ended' | 'failed' | 'left' = 'left';
  const keep = (chunk: string | Buffer | void): void => {
    if (parts === undefined || chunk === undefined) return;
    size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (size > maxBytes) parts = undefined;
    else parts.push(typeof chunk === 'string' ? decoder.end() + chunk : decoder.write(chunk));
  };
  try {
    for (;;) {
      let next: IteratorResult<string | Buffer, string | Buffer | void>;
      try {
        next = await source.next();
      } catch (error) {
        outcome = 'failed';
        throw error;
      }
      keep(next.value);
      if (next.done) {
        outcome = 'ended';
        return next.value;
      }
      yield next.value;
    }
  } finally {
    if (outcome === 'left') void source.return?.()?.catch(() => undefined);
    done(outcome === 'ended' && parts !== undefined ? parts.join('') + decoder.end() : undefined);
  }
}
