const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A half-open range of instants, [start, end). */
export interface InstantRange {
  readonly start: Date;
  readonly end: Date;
}

/** A window cut into the grains that cover it exactly: whole UTC days, and the hours around them. */
export interface SplitWindow {
  /** The whole UTC days inside the window (midnight to midnight), absent when there is none. */
  readonly days?: InstantRange;
  /** The hours before the first and after the last whole day (0, 1 or 2 ranges, oldest first). */
  readonly hours: InstantRange[];
}

/**
 * Splits an analytics window into what the daily and the hourly rollups cover, so that each hour
 * the hourly rollups would count is counted exactly once. The hours counted are those of the
 * hourly rollups' reading: from the hour holding `start` (floored, as the rollup readers do) to
 * the last hour starting before `end` (so a partial last hour counts whole; `end` is ceiled).
 */
export function splitWindow(window: InstantRange): SplitWindow {
  const start = Math.floor(window.start.getTime() / HOUR_MS) * HOUR_MS;
  const end = Math.ceil(window.end.getTime() / HOUR_MS) * HOUR_MS;
  const firstDay = Math.ceil(start / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(end / DAY_MS) * DAY_MS;
  const range = (from: number, to: number): InstantRange => ({ start: new Date(from), end: new Date(to) });
  if (firstDay >= lastDay) return { hours: start < end ? [range(start, end)] : [] };
  const hours: InstantRange[] = [];
  if (start < firstDay) hours.push(range(start, firstDay));
  if (lastDay < end) hours.push(range(lastDay, end));
  return { days: range(firstDay, lastDay), hours };
}
