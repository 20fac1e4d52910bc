import type { CheckState, WindowState } from './rate-limit-store';

/**
 * A duration as OpenAI writes its `x-ratelimit-reset-*` headers (Go's duration format):
 * `20ms`, `1s`, `1.5s`, `6m0s`, `1h2m3s`.
 */
export function openAIDuration(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = (whole % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  return minutes > 0 ? `${minutes}m${secondsText}` : secondsText;
}

/** An instant as RFC 3339 in UTC, to the second (Anthropic's `anthropic-ratelimit-*-reset`). */
export function rfc3339After(ms: number, now: number): string {
  return new Date(Math.ceil((now + ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The tightest window among the checks (least remaining): the one a client must pace itself by.
 * A request under a key limit and a user-path limit is told about whichever runs out first.
 */
export function tightest(states: readonly CheckState[], kind: 'requests' | 'tokens'): WindowState | undefined {
  let best: WindowState | undefined;
  for (const state of states) {
    const window = state[kind];
    if (window && (!best || window.remaining < best.remaining)) best = window;
  }
  return best;
}

// Header names per dialect and window, written out once rather than built for every response.
const HEADER_NAMES = {
  anthropic: {
    requests: ['anthropic-ratelimit-requests-limit', 'anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset'],
    tokens: ['anthropic-ratelimit-tokens-limit', 'anthropic-ratelimit-tokens-remaining', 'anthropic-ratelimit-tokens-reset'],
  },
  openai: {
    requests: ['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'],
    tokens: ['x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'],
  },
} as const;

/** The rate-limit headers of an admitted request, under the names the route's clients parse. */
export function rateLimitHeaders(dialect: 'openai' | 'anthropic', states: readonly CheckState[], now: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ['requests', 'tokens'] as const) {
    const window = tightest(states, kind);
    if (!window) continue;
    const [limit, remaining, reset] = HEADER_NAMES[dialect][kind];
    headers[limit] = String(window.limit);
    headers[remaining] = String(window.remaining);
    headers[reset] = dialect === 'anthropic' ? rfc3339After(window.resetMs, now) : openAIDuration(window.resetMs);
  }
  return headers;
}
