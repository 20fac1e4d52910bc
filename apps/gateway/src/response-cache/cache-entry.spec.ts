import { type CacheEntry, decodeEntry, encodeEntry, sseEvents } from './cache-entry';

const entry = (body: string): CacheEntry => ({ kind: 'json', status: 200, body, provider: 'openai', model: 'gpt-4o-mini', createdAt: 1 });

describe('cache entry codec', () => {
  it('stores small entries as plain JSON and large ones gzipped, both read back unchanged', async () => {
    const small = await encodeEntry(entry('{"a":1}'), 1024, 1_000_000);
    expect(small!.startsWith('j:')).toBe(true);
    const big = entry(JSON.stringify({ text: 'x'.repeat(10_000) }));
    const packed = await encodeEntry(big, 1024, 1_000_000);
    expect(packed!.startsWith('z:')).toBe(true);
    expect(packed!.length).toBeLessThan(2_000);
    expect(await decodeEntry(small)).toEqual(entry('{"a":1}'));
    expect(await decodeEntry(packed)).toEqual(big);
  });

  it('refuses entries above the maximum size, and reads corrupt or foreign values as a miss', async () => {
    expect(await encodeEntry(entry('x'.repeat(2_000)), 100, 1_000)).toBeUndefined();
    expect(await decodeEntry(undefined)).toBeUndefined();
    expect(await decodeEntry('z:not-gzip')).toBeUndefined();
    expect(await decodeEntry('j:{broken')).toBeUndefined();
    expect(await decodeEntry('something else')).toBeUndefined();
  });

  it('splits SSE text into its events, keeping a trailing partial event', () => {
    expect(sseEvents('data: 1\n\ndata: 2\n\ndata: [DONE]')).toEqual(['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]']);
  });
});
