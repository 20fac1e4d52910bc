type Headers = Record<string, string | string[] | undefined>;

/** OpenAI's `x-ratelimit-<stat>-<kind>` ↔ Anthropic's `anthropic-ratelimit-<kind>-<stat>` (both providers' rate-limit docs). */
const PAIRS: ReadonlyArray<readonly [string, string]> = ['requests', 'tokens'].flatMap((kind) =>
  [
    ['limit', 'limit'],
    ['remaining', 'remaining'],
    ['reset', 'reset'],
  ].map(([stat]) => [`x-ratelimit-${stat}-${kind}`, `anthropic-ratelimit-${kind}-${stat}`] as const),
);
const TO_ANTHROPIC = new Map(PAIRS);
const TO_OPENAI = new Map(PAIRS.map(([openai, anthropic]) => [anthropic, openai]));

/**
 * The rate-limit headers of an upstream error answer that a client may see (names as the upstream
 * sent them): quotas and when they reset, never anything that identifies the account. Retry-After
 * travels separately, as UpstreamFailure.retryAfterMs.
 */
export function relayableRateLimitHeaders(headers: Headers): Record<string, string> | undefined {
  let picked: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' || !(name.startsWith('x-ratelimit-') || name.startsWith('anthropic-ratelimit-'))) continue;
    (picked ??= {})[name] = value;
  }
  return picked;
}

/**
 * Those headers under the caller's dialect's names. A header with no counterpart in the other
 * dialect (Anthropic's input-/output-tokens split) is kept only when the dialects match; reset
 * values change format: Anthropic gives an RFC 3339 instant, OpenAI a duration such as `6m0s`.
 */
export function rateLimitHeadersFor(dialect: 'openai' | 'anthropic', headers: Readonly<Record<string, string>>, now = Date.now()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const own = dialect === 'openai' ? name.startsWith('x-ratelimit-') : name.startsWith('anthropic-ratelimit-');
    if (own) {
      out[name] = value;
      continue;
    }
    const translated = (dialect === 'openai' ? TO_OPENAI : TO_ANTHROPIC).get(name);
    if (!translated) continue;
    const converted = name.includes('reset') ? convertReset(dialect, value, now) : value;
    if (converted !== undefined) out[translated] = converted;
  }
  return out;
}

function convertReset(dialect: 'openai' | 'anthropic', value: string, now: number): string | undefined {
  if (dialect === 'openai') {
    const at = Date.parse(value);
    return Number.isFinite(at) ? `${Math.max(0, Math.ceil((at - now) / 1000))}s` : undefined;
  }
  const ms = durationMs(value);
  return ms === undefined ? undefined : new Date(now + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** OpenAI's reset durations: `1s`, `6m0s`, `1h2m3.5s`, `20ms`. */
function durationMs(value: string): number | undefined {
  const match = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+)ms)?$/.exec(value);
  if (!match || value === '') return undefined;
  const [, h = '0', m = '0', s = '0', ms = '0'] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);
}
