import { GatewayError } from '@app/core';
import type { UsageWindow } from '@app/storage';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_WINDOW_MS = 400 * DAY_MS;

/** The window a query names: `start`..`end`, else the last `days` (30) before `end` (now). */
export function windowOf(query: { start?: string; end?: string; days?: number }, now = new Date()): UsageWindow {
  const end = query.end ? new Date(query.end) : now;
  const start = query.start ? new Date(query.start) : new Date(end.getTime() - (query.days ?? DEFAULT_DAYS) * DAY_MS);
  if (start.getTime() >= end.getTime()) throw GatewayError.invalidRequest('`start` must be before `end`.', 'start');
  if (end.getTime() - start.getTime() > MAX_WINDOW_MS) throw GatewayError.invalidRequest('The window may span at most 400 days.', 'start');
  return { start, end };
}
