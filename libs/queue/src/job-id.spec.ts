import { InvalidJobIdError } from './invalid-job-id.error';
import { assertValidJobId } from './job-id';
import { backoffDelayMs } from './retry-policy';

describe('assertValidJobId', () => {
  it('accepts deterministic ids made of names, dates and hashes', () => {
    expect(() => assertValidJobId('usage-retention-2026-01-01')).not.toThrow();
    expect(() => assertValidJobId('batch_abc123')).not.toThrow();
    expect(() => assertValidJobId('42a')).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['tenant:42', "':'"],
    ['42', 'integer'],
  ])('rejects %p (%s)', (id, reason) => {
    expect(() => assertValidJobId(id)).toThrow(InvalidJobIdError);
    expect(() => assertValidJobId(id)).toThrow(reason);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the base delay on each failed attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs({ backoffMs: 1_000 }, attempt))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });
});
