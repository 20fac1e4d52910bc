import { coveringPaths } from './budget-coverage';
import { periodWindow } from './budget-period';

const at = (iso: string) => Date.parse(iso);
const window = (period: Parameters<typeof periodWindow>[0], iso: string) => {
  const { startMs, endMs } = periodWindow(period, at(iso));
  return [new Date(startMs).toISOString(), new Date(endMs).toISOString()];
};

describe('budget periods reset on UTC anchors', () => {
  it('daily: midnight UTC to midnight UTC, whatever the process time zone', () => {
    expect(window({ kind: 'daily' }, '2026-12-01T23:59:59.999Z')).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z']);
    expect(window({ kind: 'daily' }, '2026-12-02T00:00:00.000Z')).toEqual(['2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z']);
  });

  it('weekly: ISO weeks, Monday 00:00 UTC (a Sunday belongs to the week that began six days before)', () => {
    // 2026-12-01 is a Tuesday; 2026-12-06 a Sunday; 2026-12-07 a Monday.
    expect(window({ kind: 'weekly' }, '2026-12-01T10:00:00Z')).toEqual(['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    expect(window({ kind: 'weekly' }, '2026-12-06T23:00:00Z')).toEqual(['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    expect(window({ kind: 'weekly' }, '2026-12-07T00:00:00Z')).toEqual(['2026-12-07T00:00:00.000Z', '2026-12-14T00:00:00.000Z']);
  });

  it('monthly: the 1st at 00:00 UTC, across month lengths, leap years and year ends', () => {
    expect(window({ kind: 'monthly' }, '2028-02-29T12:00:00Z')).toEqual(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z']);
    expect(window({ kind: 'monthly' }, '2026-12-31T23:59:59Z')).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('period_seconds: fixed lengths counted from the Unix epoch, the same on every replica', () => {
    expect(window({ kind: 'seconds', seconds: 3600 }, '2026-12-01T21:35:10Z')).toEqual(['2026-12-01T21:00:00.000Z', '2026-12-01T22:00:00.000Z']);
    const { startMs, endMs } = periodWindow({ kind: 'seconds', seconds: 7 }, 1_000_000_003_500);
    expect([startMs % 7000, endMs - startMs, startMs <= 1_000_000_003_500 && 1_000_000_003_500 < endMs]).toEqual([0, 7000, true]);
  });
});

describe('user-path budget coverage', () => {
  it('a budget on /acme covers /acme and everything under it, not /acmeco', () => {
    expect(coveringPaths('/acme/team/u1')).toEqual(['/acme/team/u1', '/acme/team', '/acme', '/']);
    expect(coveringPaths('/acme/')).toEqual(['/acme', '/']);
    expect(coveringPaths('/acmeco')).not.toContain('/acme');
    expect(coveringPaths('/')).toEqual(['/']);
  });
});
