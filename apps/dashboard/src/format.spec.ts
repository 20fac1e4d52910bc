import { buildQuery, formatCount, formatDuration, formatPercent, formatUsd, percentile, periodSeconds } from './format';

describe('dashboard formatting', () => {
  it('shows micro-dollars as USD, sub-cent amounts with four decimals', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1_234_560_000)).toBe('$1,234.56');
    expect(formatUsd(1_500)).toBe('$0.0015');
    expect(formatUsd(-2_000_000)).toBe('-$2.00');
    expect(formatUsd(null)).toBe('—');
  });

  it('shows durations in ms, s and min', () => {
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1_250)).toBe('1.3 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(undefined)).toBe('—');
  });

  it('formats counts and ratios', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(Number.NaN)).toBe('—');
  });

  it('builds a query string from the set parameters only, encoded', () => {
    expect(buildQuery({})).toBe('');
    expect(buildQuery({ model: 'gpt-4o', status: '', key_id: undefined, limit: 50, user_path: '/a b' })).toBe('?model=gpt-4o&limit=50&user_path=%2Fa+b');
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([10, 1, 7, 3, 5], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });

  it('turns a period into epoch seconds', () => {
    expect(periodSeconds('2026-12-01')).toBe(Date.UTC(2026, 11, 1) / 1000);
  });
});
