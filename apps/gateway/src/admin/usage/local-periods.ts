import type { HourlyTotals, UsageTotals } from '@app/storage';

export type Interval = 'daily' | 'weekly' | 'monthly';

const DAY_MS = 86_400_000;
const ZERO: UsageTotals = { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0, costMicros: 0, latencyMsTotal: 0 };

/**
 * Folds hourly totals into local periods of `tz`: each UTC hour counts to the local day its first
 * instant falls in (exact for whole-hour offsets; see WindowQueryDto.tz), then days into ISO
 * weeks (Monday) or months. Returns periods with traffic, oldest first.
 */
export function foldPeriods(hours: readonly HourlyTotals[], interval: Interval, tz: string): Array<{ period: string; totals: UsageTotals }> {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  const periods = new Map<string, UsageTotals>();
  for (const hour of hours) {
    const period = periodOf(format.format(hour.hour), interval);
    periods.set(period, add(periods.get(period) ?? ZERO, hour));
  }
  return [...periods.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([period, totals]) => ({ period, totals }));
}

/** The first day of the period a local date (YYYY-MM-DD) belongs to. */
function periodOf(day: string, interval: Interval): string {
  if (interval === 'daily') return day;
  if (interval === 'monthly') return `${day.slice(0, 7)}-01`;
  // Calendar arithmetic on the local date itself, as a UTC date: no zone can shift it.
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

function add(sum: UsageTotals, hour: UsageTotals): UsageTotals {
  return {
    requests: sum.requests + hour.requests,
    errors: sum.errors + hour.errors,
    inputTokens: sum.inputTokens + hour.inputTokens,
    outputTokens: sum.outputTokens + hour.outputTokens,
    cachedTokens: sum.cachedTokens + hour.cachedTokens,
    reasoningTokens: sum.reasoningTokens + hour.reasoningTokens,
    costMicros: sum.costMicros + hour.costMicros,
    latencyMsTotal: sum.latencyMsTotal + hour.latencyMsTotal,
  };
}
