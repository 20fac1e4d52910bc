import type { Tiktoken } from 'js-tiktoken';

/**
 * Local token counts for when a provider has no counting endpoint. Exact for OpenAI models (the
 * same BPE encodings they use); for other families (Claude, Gemini, Llama …) it is an ESTIMATE,
 * usually within ~10–20 %, since their tokenizers are not public.
 */
export type TokenEncodingName = 'o200k_base' | 'cl100k_base';

// OpenAI's chat format costs about 3 tokens per message and 3 to prime the reply.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

const encoders = new Map<TokenEncodingName, Tiktoken>();

/** The encoding a model family uses: o200k for GPT-4o / 4.1 / 5 and the o-series, else cl100k. */
export function encodingForModel(model: string): TokenEncodingName {
  const id = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|chatgpt-4o|o\d)/.test(id) ? 'o200k_base' : 'cl100k_base';
}

function encoder(name: TokenEncodingName): Tiktoken {
  let instance = encoders.get(name);
  if (!instance) {
    // Loaded on first use: the rank tables are several MB and most deployments never need them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getEncoding } = require('js-tiktoken') as typeof import('js-tiktoken');
    instance = getEncoding(name);
    encoders.set(name, instance);
  }
  return instance;
}

/** Tokens in one piece of text for the given model. */
export function countTextTokens(text: string, model: string): number {
  return text ? encoder(encodingForModel(model)).encode(text).length : 0;
}

/** Input tokens of a conversation: its texts, plus the chat format's per-message overhead. */
export function estimateConversationTokens(texts: readonly string[], messageCount: number, model: string): number {
  const encoding = encoder(encodingForModel(model));
  let total = messageCount * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY;
  for (const text of texts) total += text ? encoding.encode(text).length : 0;
  return total;
}
