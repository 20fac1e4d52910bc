import { recordChunks } from './entry-recorder';

async function* source(chunks: (string | Buffer)[], end?: string, fail?: Error): AsyncGenerator<string | Buffer, string | void> {
  for (const chunk of chunks) yield chunk;
  if (fail) throw fail;
  return end;
}

async function drain(iterator: AsyncIterator<string | Buffer, unknown>): Promise<{ written: string[]; last: unknown }> {
  const written: string[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { written, last: next.value };
    written.push(next.value.toString());
  }
}

describe('recordChunks', () => {
  it('relays every chunk unchanged and hands the whole text (multi-byte characters split across chunks intact) on a clean end', async () => {
    const euro = Buffer.from('€');
    let recorded: string | undefined;
    const relayed = await drain(recordChunks(source(['a', Buffer.concat([Buffer.from('b'), euro.subarray(0, 1)]), euro.subarray(1)], 'END'), 1000, (text) => (recorded = text)));
    expect(relayed.last).toBe('END');
    expect(recorded).toBe('ab€END');
  });

  it('hands nothing when the source fails, and rethrows', async () => {
    let recorded: string | undefined = 'unset';
    await expect(drain(recordChunks(source(['a'], undefined, new Error('cut')), 1000, (text) => (recorded = text)))).rejects.toThrow('cut');
    expect(recorded).toBeUndefined();
  });

  it('hands nothing past the size limit, but relays everything', async () => {
    let recorded: string | undefined = 'unset';
    const relayed = await drain(recordChunks(source(['aaaa', 'bbbb']), 5, (text) => (recorded = text)));
    expect(relayed.written).toEqual(['aaaa', 'bbbb']);
    expect(recorded).toBeUndefined();
  });

  it('lets the source go when the client leaves', async () => {
    let released = false;
    async function* upstream(): AsyncGenerator<string, void> {
      try {
        yield 'a';
        yield 'b';
      } finally {
        released = true;
      }
    }
    let recorded: string | undefined = 'unset';
    const iterator = recordChunks(upstream(), 1000, (text) => (recorded = text));
    await iterator.next();
    await iterator.return(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(true);
    expect(recorded).toBeUndefined();
  });
});
