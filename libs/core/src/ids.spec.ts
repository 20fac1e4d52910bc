import { resolveRequestId, timeOrderedUuid } from './ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  it('is a version 7, variant 10 UUID whose first 48 bits are the Unix milliseconds', () => {
    const now = Date.UTC(2026, 11, 3, 7, 30, 0, 123);
    const id = timeOrderedUuid(now);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('sorts by time across milliseconds (what keeps index inserts at the right edge)', () => {
    const start = Date.now();
    const ids = Array.from({ length: 1_000 }, (_, index) => timeOrderedUuid(start + index));
    expect([...ids].sort()).toEqual(ids);
  });

  it('stays unique through many refills of the entropy pool', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid(now)));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 50)) expect(id).toMatch(UUID_V7);
  });
});

describe('resolveRequestId', () => {
  it('keeps a short printable client id', () => {
    expect(resolveRequestId('client-req-42')).toBe('client-req-42');
    expect(resolveRequestId(['first', 'second'])).toBe('first');
  });

  it('makes a time-ordered one when the client sent none, or an unsafe or overlong one', () => {
    for (const incoming of [undefined, '', 'a b', 'x'.repeat(129), 'line\r\nbreak']) expect(resolveRequestId(incoming)).toMatch(UUID_V7);
  });
});
