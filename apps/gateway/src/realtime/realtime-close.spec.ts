import { closeReason, relayedCloseCode } from './realtime-close';

describe('relayedCloseCode', () => {
  it.each([
    [1000, 1000],
    [1001, 1001],
    [1009, 1009],
    [4000, 4000],
    [3000, 3000],
    [1005, undefined],
    [1006, 1011],
    [1015, 1011],
    [1004, 1011],
    [2000, 1011],
  ])('%i is relayed as %s', (code, expected) => {
    expect(relayedCloseCode(code, 1011)).toBe(expected);
  });
});

describe('closeReason', () => {
  it('keeps short reasons and cuts long ones to 123 bytes on a character boundary', () => {
    expect(closeReason('bye')).toBe('bye');
    const cut = closeReason('é'.repeat(100));
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
    expect(cut).toBe('é'.repeat(61));
  });
});
