import { type InstantRange, splitWindow } from './usage-window-split';

const HOUR = 3_600_000;
const DAY = 86_400_000;

const at = (iso: string) => new Date(iso);
const iso = (range: InstantRange) => [range.start.toISOString(), range.end.toISOString()];
const split = (start: string, end: string) => {
  const result = splitWindow({ start: at(start), end: at(end) });
  return { days: result.days && iso(result.days), hours: result.hours.map(iso) };
};

describe('splitWindow', () => {
  it('reads a window of exact midnights from the daily grain only', () => {
    expect(split('2026-11-01T00:00:00.000Z', '2026-11-04T00:00:00.000Z')).toEqual({ days: ['2026-11-01T00:00:00.000Z', '2026-11-04T00:00:00.000Z'], hours: [] });
    expect(split('2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z')).toEqual({ days: ['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'], hours: [] });
    // The last hour counts whole once the window enters it, so this window covers the whole day.
    expect(split('2026-11-01T00:00:00.000Z', '2026-11-01T23:00:00.001Z')).toEqual({ days: ['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'], hours: [] });
  });

  it('reads a window within one day from the hourly grain only, its hours floored at the start and ceiled at the end', () => {
    expect(split('2026-11-01T03:20:00.000Z', '2026-11-01T07:00:00.000Z')).toEqual({ hours: [['2026-11-01T03:00:00.000Z', '2026-11-01T07:00:00.000Z']] });
    expect(split('2026-11-01T03:20:00.000Z', '2026-11-01T07:00:00.001Z')).toEqual({ hours: [['2026-11-01T03:00:00.000Z', '2026-11-01T08:00:00.000Z']] });
    expect(split('2026-11-01T05:10:00.000Z', '2026-11-01T05:20:00.000Z')).toEqual({ hours: [['2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z']] });
    // A whole day is not a whole UTC day unless it starts at midnight.
    expect(split('2026-11-01T01:00:00.000Z', '2026-11-02T01:00:00.000Z')).toEqual({ hours: [['2026-11-01T01:00:00.000Z', '2026-11-02T01:00:00.000Z']] });
  });

  it('reads a window across one midnight with no whole day inside it from the hourly grain, as one range', () => {
    expect(split('2026-11-01T22:00:00.000Z', '2026-11-02T02:30:00.000Z')).toEqual({ hours: [['2026-11-01T22:00:00.000Z', '2026-11-02T03:00:00.000Z']] });
    expect(split('2026-11-01T23:00:00.000Z', '2026-11-02T00:00:00.001Z')).toEqual({ hours: [['2026-11-01T23:00:00.000Z', '2026-11-02T01:00:00.000Z']] });
  });

  it('reads the whole days of a longer window daily and its partial edge days hourly', () => {
    expect(split('2026-11-01T22:15:00.000Z', '2026-11-05T02:30:00.000Z')).toEqual({
      days: ['2026-11-02T00:00:00.000Z', '2026-11-05T00:00:00.000Z'],
      hours: [
        ['2026-11-01T22:00:00.000Z', '2026-11-02T00:00:00.000Z'],
        ['2026-11-05T00:00:00.000Z', '2026-11-05T03:00:00.000Z'],
      ],
    });
    expect(split('2026-11-01T00:00:00.000Z', '2026-11-03T05:00:00.000Z')).toEqual({
      days: ['2026-11-01T00:00:00.000Z', '2026-11-03T00:00:00.000Z'],
      hours: [['2026-11-03T00:00:00.000Z', '2026-11-03T05:00:00.000Z']],
    });
    expect(split('2026-11-01T23:59:00.000Z', '2026-11-03T00:00:00.000Z')).toEqual({
      days: ['2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z'],
      hours: [['2026-11-01T23:00:00.000Z', '2026-11-02T00:00:00.000Z']],
    });
  });

  it('covers every hour the hourly rollups would count exactly once, for windows at every hour and minute offset', () => {
    const origin = Date.parse('2026-11-01T00:00:00.000Z');
    const covered = (ranges: InstantRange[], step: number) =>
      ranges.flatMap((range) => Array.from({ length: (range.end.getTime() - range.start.getTime()) / step }, (_, i) => range.start.getTime() + i * step));
    for (let from = 0; from < 2 * DAY; from += HOUR / 2 + 60_000) {
      for (let length = 60_000; length < 4 * DAY; length += 7 * HOUR + 13 * 60_000) {
        const window = { start: new Date(origin + from), end: new Date(origin + from + length) };
        const { days, hours } = splitWindow(window);
        const expected: number[] = [];
        for (let hour = Math.floor(window.start.getTime() / HOUR) * HOUR; hour < window.end.getTime(); hour += HOUR) expected.push(hour);
        const fromDays = days ? covered([days], DAY).flatMap((day) => Array.from({ length: 24 }, (_, i) => day + i * HOUR)) : [];
        expect([...fromDays, ...covered(hours, HOUR)].sort((a, b) => a - b)).toEqual(expected);
        if (days) expect(days.start.getTime() % DAY).toBe(0);
        expect(hours.length).toBeLessThanOrEqual(2);
      }
    }
  });
});
