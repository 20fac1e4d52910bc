/** A calendar period (UTC), or a fixed length in seconds. */
export type CalendarPeriod = 'daily' | 'weekly' | 'monthly';
export const CALENDAR_PERIODS: readonly CalendarPeriod[] = ['daily', 'weekly', 'monthly'];

export type BudgetPeriod = { readonly kind: CalendarPeriod } | { readonly kind: 'seconds'; readonly seconds: number };

/** The period an instant falls in: [startMs, endMs). */
export interface PeriodWindow {
  readonly startMs: number;
  readonly endMs: number;
}

const DAY_MS = 86_400_000;

/**
 * The period containing `at`, with UTC anchors: days start at 00:00 UTC, weeks on Monday 00:00
 * UTC (ISO 8601), months on the 1st at 00:00 UTC; a `period_seconds` budget resets every n
 * seconds counted from the Unix epoch, so every replica computes the same boundaries.
 */
export function periodWindow(period: BudgetPeriod, at: number): PeriodWindow {
  const day = Math.floor(at / DAY_MS) * DAY_MS;
  switch (period.kind) {
    case 'daily':
      return { startMs: day, endMs: day + DAY_MS };
    case 'weekly': {
      // getUTCDay: 0 = Sunday; the ISO week starts on Monday.
      const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
      const startMs = day - sinceMonday * DAY_MS;
      return { startMs, endMs: startMs + 7 * DAY_MS };
    }
    case 'monthly': {
      const date = new Date(at);
      return { startMs: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), endMs: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
    }
    case 'seconds': {
      const length = period.seconds * 1000;
      const startMs = Math.floor(at / length) * length;
      return { startMs, endMs: startMs + length };
    }
  }
}
