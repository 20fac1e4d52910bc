import type { HourlyTotals } from '@app/storage';
import { foldPeriods } from './local-periods';

const hour = (iso: string, requests = 1): HourlyTotals => ({
  hour: new Date(iso),
  requests,
  errors: 0,
  inputTokens: requests * 10,
  outputTokens: 0,
  cachedTokens: 0,
  reasoningTokens: 0,
  costMicros: 0,
  latencyMsTotal: 0,
});

describe('foldPeriods', () => {
  const hours = [hour('2026-11-29T22:00:00Z'), hour('2026-11-29T23:00:00Z', 2), hour('2026-11-30T00:00:00Z', 4), hour('2026-12-01T10:00:00Z', 8)];

  it('groups UTC hours by UTC day', () => {
    expect(foldPeriods(hours, 'daily', 'UTC').map(({ period, totals }) => [period, totals.requests])).toEqual([
      ['2026-11-29', 3],
      ['2026-11-30', 4],
      ['2026-12-01', 8],
    ]);
  });

  it('moves hours across the local midnight of the time zone', () => {
    // Berlin is UTC+1 in November: 23:00Z is already the 30th there.
    expect(foldPeriods(hours, 'daily', 'Europe/Berlin').map(({ period, totals }) => [period, totals.requests])).toEqual([
      ['2026-11-29', 1],
      ['2026-11-30', 6],
      ['2026-12-01', 8],
    ]);
  });

  it('counts an hour straddling midnight of a half-hour zone to the day it starts in', () => {
    // Kolkata is +05:30: 18:00Z is 23:30 local on the 29th.
    expect(foldPeriods([hour('2026-11-29T18:00:00Z')], 'daily', 'Asia/Kolkata')[0].period).toBe('2026-11-29');
  });

  it('folds days into Monday weeks and calendar months, adding every counter', () => {
    // 2026-11-29 is a Sunday; 2026-11-30 a Monday.
    expect(foldPeriods(hours, 'weekly', 'UTC').map(({ period, totals }) => [period, totals.requests, totals.inputTokens])).toEqual([
      ['2026-11-23', 3, 30],
      ['2026-11-30', 12, 120],
    ]);
    expect(foldPeriods(hours, 'monthly', 'UTC').map(({ period, totals }) => [period, totals.requests])).toEqual([
      ['2026-11-01', 7],
      ['2026-12-01', 8],
    ]);
  });
});
