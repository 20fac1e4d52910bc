import { BpeCounter, type BpeRankTable } from './bpe-counter';

/**
 * Local token counts for when a provider has no counting endpoint. Exact for OpenAI models (the
 * same BPE encodings they use; runs of one character class longer than 256 may differ by about a
 * token each, see bpe-counter.ts); for other families (Claude, Gemini, Llama …) it is an ESTIMATE,
 * usually within ~10–20 %, since their tokenizers are not public.
 */
export type TokenEncodingName = 'o200k_base' | 'cl100k_base';

// OpenAI's chat format costs about 3 tokens per message and 3 to prime the reply.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

// Characters counted between two yields to the event loop: a few milliseconds of work, so a 10 MB
// body being counted never holds up health probes or other requests for long.
const SLICE_CHARS = 4_096;

const counters = new Map<TokenEncodingName, BpeCounter>();
const loading = new Map<TokenEncodingName, Promise<BpeCounter>>();

/** The encoding a model family uses: o200k for GPT-4o / 4.1 / 5 and the o-series, else cl100k. */
export function encodingForModel(model: string): TokenEncodingName {
  const id = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|chatgpt-4o|o\d)/.test(id) ? 'o200k_base' : 'cl100k_base';
}

// Loaded on first use: the rank tables are several MB and most deployments never need them.
function rankTable(name: TokenEncodingName): BpeRankTable {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const table = require(`js-tiktoken/ranks/${name}`) as BpeRankTable | { default: BpeRankTable };
  return 'default' in table ? table.default : table;
}

function counter(name: TokenEncodingName): BpeCounter {
  let instance = counters.get(name);
  if (!instance) {
    instance = BpeCounter.fromTable(rankTable(name));
    counters.set(name, instance);
  }
  return instance;
}

/** The counter, built without holding the event loop for the ~0.1 s a table takes to decode. */
function loadCounter(name: TokenEncodingName): Promise<BpeCounter> {
  const ready = counters.get(name);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(name);
  if (!pending) {
    pending = BpeCounter.loadTable(rankTable(name), nextTurn).then((instance) => {
      counters.set(name, instance);
      return instance;
    });
    loading.set(name, pending);
  }
  return pending;
}

function nextTurn(): Promise<void> {
  return new Promise((resume) => setImmediate(resume));
}

/** Tokens in one piece of text for the given model (synchronous; linear in the text's length). */
export function countTextTokens(text: string, model: string): number {
  return text ? counter(encodingForModel(model)).count(text) : 0;
}

/**
 * estimateConversationTokens without a promise, when the count needs no yield: the encoding is
 * loaded and the texts together fit in one slice (an ordinary chat request). Undefined otherwise:
 * then await estimateConversationTokens.
 */
export function conversationTokensNow(texts: readonly string[], messageCount: number, model: string): number | undefined {
  const bpe = counters.get(encodingForModel(model));
  if (!bpe) return undefined;
  let length = 0;
  for (const text of texts) length += text.length;
  if (length > SLICE_CHARS) return undefined;
  let total = messageCount * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY;
  for (const text of texts) total += bpe.count(text);
  return total;
}

/**
 * Input tokens of a conversation: its texts, plus the chat format's per-message overhead. Counts
 * in slices and yields to the event loop between them, so a large request shares the process.
 */
export async function estimateConversationTokens(texts: readonly string[], messageCount: number, model: string): Promise<number> {
  const bpe = await loadCounter(encodingForModel(model));
  let total = messageCount * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY;
  let sinceYield = 0;
  for (const text of texts) {
    for (let at = 0; at < text.length;) {
      if (sinceYield >= SLICE_CHARS) {
        await nextTurn();
        sinceYield = 0;
      }
      const slice = bpe.countFrom(text, at, SLICE_CHARS - sinceYield);
      total += slice.tokens;
      sinceYield += slice.end - at;
      at = slice.end;
    }
  }
  return total;
}

/**
 * The output a request bounds itself to (`max_tokens`, `max_completion_tokens`,
 * `max_output_tokens`: chat, Messages and Responses name it differently), or `fallback` when it
 * names none. What budgets and token limits reserve for a request's answer.
 */
export function outputTokenBound(body: Record<string, unknown>, fallback: number): number {
  const named = [body.max_tokens, body.max_completion_tokens, body.max_output_tokens].find((value) => typeof value === 'number' && Number.isFinite(value) && value >= 0);
  return typeof named === 'number' ? Math.ceil(named) : fallback;
}
