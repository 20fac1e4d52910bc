import { calcPrice, type ModelInfo, type ModelPrice } from '@pydantic/genai-prices';
import { ratePerMillion, type TokenRates } from './token-rates';

/** Price keys of @pydantic/genai-prices (USD per million tokens) → the gateway's kinds. */
const KEYS = {
  input: 'input_mtok',
  output: 'output_mtok',
  cachedInput: 'cache_read_mtok',
  cacheWrite: 'cache_write_mtok',
  reasoning: 'output_reasoning_mtok',
  audioInput: 'input_audio_mtok',
  audioOutput: 'output_audio_mtok',
} as const;

interface Entry {
  readonly model: ModelInfo;
  /** Rates computed once for models with one flat price (no dates, hours or tiers), the common case. */
  readonly flat?: TokenRates | null;
}

// Model ids come from configuration and upstream listings, but passthrough routes can name any
// model: the cache is cleared rather than allowed to grow without bound.
const MAX_CACHED = 5_000;

/**
 * The bundled price database of @pydantic/genai-prices. The package's own model matching (date
 * suffixes, provider fallbacks such as Azure → OpenAI) runs once per provider+model and is
 * cached; the rates for a request are then read from the matched model without allocation for
 * flat prices. Conditional prices (DeepSeek's off-peak hours, price changes from a date) and
 * tiered prices (Gemini above 200k input tokens) are chosen the way the package chooses them.
 * Nothing is fetched: the data is the package's bundled copy unless a refresh was opted into.
 */
export class PackagePrices {
  private readonly entries = new Map<string, Entry | null>();

  rates(providerId: string, model: string, at: Date, inputTokens: number): TokenRates | null {
    const entry = this.entry(providerId, model);
    if (!entry) return null;
    if (entry.flat !== undefined) return entry.flat;
    return toRates(selectPrices(entry.model, at), inputTokens);
  }

  /** Forgets every match, after the package data was refreshed. */
  clear(): void {
    this.entries.clear();
  }

  private entry(providerId: string, model: string): Entry | null {
    const key = `${providerId}\u0000${model}`;
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    if (this.entries.size >= MAX_CACHED) this.entries.clear();
    const entry = matchModel(providerId, model);
    this.entries.set(key, entry);
    return entry;
  }
}

function matchModel(providerId: string, model: string): Entry | null {
  let info: ModelInfo | undefined;
  try {
    info = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { providerId })?.model;
  } catch {
    // A model whose data the package cannot price (an inconsistent entry) has no known price.
    return null;
  }
  if (!info) return null;
  const flat = !Array.isArray(info.prices) && !Object.values(info.prices).some((value) => typeof value === 'object');
  return flat ? { model: info, flat: toRates(info.prices as ModelPrice, 0) } : { model: info };
}

/** The package's rule: the last conditional price whose constraint holds at `at`, else the first. */
function selectPrices(model: ModelInfo, at: Date): ModelPrice {
  if (!Array.isArray(model.prices)) return model.prices;
  const prices = model.prices;
  for (let index = prices.length - 1; index >= 0; index--) {
    const { constraint, prices: candidate } = prices[index];
    if (constraint === undefined) return candidate;
    if (constraint.type === 'start_date' && at >= new Date(constraint.start_date)) return candidate;
    if (constraint.type === 'time_of_date' && withinTimeOfDay(at, constraint.start_time, constraint.end_time)) return candidate;
  }
  return prices[0].prices;
}

function withinTimeOfDay(at: Date, start: string, end: string): boolean {
  const now = at.getUTCHours() * 3600 + at.getUTCMinutes() * 60 + at.getUTCSeconds();
  const from = secondsOfDay(start);
  const to = secondsOfDay(end);
  return to < from ? now >= from || now < to : now >= from && now < to;
}

/** `HH:MM:SS` with `Z` or a `±HH:MM` offset → seconds after UTC midnight. */
function secondsOfDay(time: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(time);
  if (!match) return 0;
  const offset = match[4] === 'Z' ? 0 : (match[5] === '+' ? 1 : -1) * (Number(match[6]) * 3600 + Number(match[7]) * 60);
  return (Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) - offset + 86_400) % 86_400;
}

/** A model's prices as rates; null when it has no per-token price at all (e.g. priced per audio hour). */
function toRates(prices: ModelPrice, inputTokens: number): TokenRates | null {
  const input = rateOf(prices[KEYS.input], inputTokens);
  const output = rateOf(prices[KEYS.output], inputTokens);
  if (input === undefined && output === undefined) return null;
  return {
    input: input ?? 0,
    output: output ?? 0,
    cachedInput: rateOf(prices[KEYS.cachedInput], inputTokens),
    cacheWrite: rateOf(prices[KEYS.cacheWrite], inputTokens),
    reasoning: rateOf(prices[KEYS.reasoning], inputTokens),
    audioInput: rateOf(prices[KEYS.audioInput], inputTokens),
    audioOutput: rateOf(prices[KEYS.audioOutput], inputTokens),
  };
}

/** A flat price, or the tier the request's total input tokens reach (the package's rule: above `start`). */
function rateOf(price: ModelPrice[string], inputTokens: number): number | undefined {
  if (price === undefined) return undefined;
  if (typeof price === 'number') return ratePerMillion(price);
  // The tier with the highest start the input exceeds, without sorting (no allocation per request).
  let chosen = price.base;
  let from = -1;
  for (const tier of price.tiers) {
    if (inputTokens > tier.start && tier.start > from) {
      chosen = tier.price;
      from = tier.start;
    }
  }
  return ratePerMillion(chosen);
}
