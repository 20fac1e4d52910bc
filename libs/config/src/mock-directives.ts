/**
 * How the built-in mock provider should behave on a call, so users can test their own timeouts,
 * retries and failover offline. Written as `key=value` pairs separated by `;`, e.g.
 * `latency=200ms; ttft=100ms; tps=50; fail=429; retry-after=1; reset-after=3`, in MOCK_DIRECTIVES
 * (defaults for every call) or after the model name (`mock/echo;ttft=100ms`).
 */
export interface MockDirectives {
  /** Wait before the answer begins (before the first byte, JSON or stream). */
  readonly latencyMs?: number;
  /** Further wait, in a stream, before its first event. */
  readonly ttftMs?: number;
  /** Pace of a stream's content, in tokens per second. */
  readonly tokensPerSecond?: number;
  /** Fail the call with this upstream HTTP status instead of answering. */
  readonly failStatus?: number;
  /** `Retry-After` (seconds) sent with the failure. */
  readonly retryAfterSeconds?: number;
  /** Break the connection after this many stream events, before the stream finishes. */
  readonly resetAfterEvents?: number;
  /** Call the request's first tool instead of answering with text. */
  readonly tool?: boolean;
}

// setTimeout cannot wait longer than ~24.8 days, and no test needs more than an hour.
const MAX_WAIT_MS = 3_600_000;
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Reader = (value: string | undefined, directives: Mutable<MockDirectives>) => void;

const READERS: Record<string, Reader> = {
  latency: (value, out) => (out.latencyMs = duration('latency', value)),
  ttft: (value, out) => (out.ttftMs = duration('ttft', value)),
  tps: (value, out) => (out.tokensPerSecond = number('tps', value, 0.001, 1_000_000)),
  fail: (value, out) => (out.failStatus = whole('fail', value, 400, 599)),
  'retry-after': (value, out) => (out.retryAfterSeconds = number('retry-after', value, 0, 3600)),
  'reset-after': (value, out) => (out.resetAfterEvents = whole('reset-after', value, 0, 10_000)),
  tool: (value, out) => {
    if (value !== undefined && value !== 'true') throw new Error(`mock directive 'tool' takes no value, got "${value}"`);
    out.tool = true;
  },
};

/** Parses a directive list; throws an Error whose message names the offending directive. */
export function parseMockDirectives(text: string): MockDirectives {
  const directives: Mutable<MockDirectives> = {};
  for (const part of text.split(';')) {
    const item = part.trim();
    if (!item) continue;
    const equals = item.indexOf('=');
    const key = (equals < 0 ? item : item.slice(0, equals)).trim().toLowerCase();
    const value = equals < 0 ? undefined : item.slice(equals + 1).trim();
    const reader = Object.hasOwn(READERS, key) ? READERS[key] : undefined;
    if (!reader) throw new Error(`unknown mock directive '${key}' (known: ${Object.keys(READERS).join(', ')})`);
    reader(value, directives);
  }
  return directives;
}

/** Parses a duration with its unit (`200ms`, `2s`, `1m`): a bare number would be ambiguous here. */
export function parseMockDuration(name: string, value: string | undefined): number {
  return duration(name, value);
}

function duration(name: string, value: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value?.toLowerCase() ?? '');
  if (!match) throw new Error(`mock directive '${name}' must be a duration with its unit such as 200ms or 2s, got "${value ?? ''}"`);
  const ms = Math.round(Number(match[1]) * DURATION_UNITS[match[2]]);
  if (ms > MAX_WAIT_MS) throw new Error(`mock directive '${name}' may wait at most 1h, got "${value}"`);
  return ms;
}

function number(name: string, value: string | undefined, min: number, max: number): number {
  const parsed = /^\d+(?:\.\d+)?$/.test(value ?? '') ? Number(value) : NaN;
  if (!(parsed >= min && parsed <= max)) throw new Error(`mock directive '${name}' must be a number from ${min} to ${max}, got "${value ?? ''}"`);
  return parsed;
}

function whole(name: string, value: string | undefined, min: number, max: number): number {
  const parsed = /^\d+$/.test(value ?? '') ? Number(value) : NaN;
  if (!(parsed >= min && parsed <= max)) throw new Error(`mock directive '${name}' must be a whole number from ${min} to ${max}, got "${value ?? ''}"`);
  return parsed;
}
