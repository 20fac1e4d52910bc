import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import { conversationTokensNow, countTextTokens, encodingForModel, estimateConversationTokens, outputTokenBound } from './token-estimate';

const ENGLISH = {
  sentence: 'The quick brown fox jumps over the lazy dog.',
  question: "What's the weather like in Paris today? I'd like to know before I leave.",
  paragraph:
    "Switchyard is an AI gateway: one OpenAI-compatible and Anthropic-compatible HTTP endpoint in front of many model providers. Applications point their official SDK's base_url at it and get routing, failover, usage and cost tracking, budgets, caching, audit logs, an admin API and a dashboard, without changing code.",
  code: 'function add(a, b) {\n  return a + b;\n}\n\nconsole.log(add(40, 2)); // 42\n',
};

/** A deterministic pseudo-random base64 string: no long runs, many short pieces. */
function base64Noise(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let seed = 7;
  let text = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    text += alphabet[seed % 64];
  }
  return text;
}

/** Milliseconds one count takes. */
function timed(text: string, model: string): number {
  const startedAt = performance.now();
  countTextTokens(text, model);
  return performance.now() - startedAt;
}

describe('token estimates', () => {
  beforeAll(() => {
    // Load both rank tables (and warm the JIT) outside the timed cases.
    countTextTokens('warm up', 'gpt-4o');
    countTextTokens('warm up', 'gpt-4');
  });

  it('picks the encoding of the model family', () => {
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('openai/o3-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-3.5-turbo')).toBe('cl100k_base');
    expect(encodingForModel('claude-sonnet-4-5')).toBe('cl100k_base');
  });

  it('counts tokens with the real BPE tables', () => {
    // "hello world" is two tokens in both encodings.
    expect(countTextTokens('hello world', 'gpt-4o')).toBe(2);
    expect(countTextTokens('hello world', 'gpt-3.5-turbo')).toBe(2);
    expect(countTextTokens('', 'gpt-4o')).toBe(0);
    expect(countTextTokens('a much longer sentence about tokenizers and their quirks', 'gpt-4o')).toBeGreaterThan(8);
  });

  it('keeps the counts of ordinary text the gateway gave before (values from js-tiktoken encode)', () => {
    const pinned = { o200k: [10, 16, 64, 27], cl100k: [10, 18, 64, 27] };
    expect(Object.values(ENGLISH).map((text) => countTextTokens(text, 'gpt-4o'))).toEqual(pinned.o200k);
    expect(Object.values(ENGLISH).map((text) => countTextTokens(text, 'claude-sonnet-4-5'))).toEqual(pinned.cl100k);
  });

  it.each([
    ['o200k_base', 'gpt-4o'],
    ['cl100k_base', 'gpt-4'],
  ] as const)('matches js-tiktoken token for token on real documents (%s)', (encoding, model) => {
    const reference = getEncoding(encoding);
    const documents = [
      readFileSync(join(__dirname, '../../../README.md'), 'utf8'),
      readFileSync(join(__dirname, '../../../apps/gateway/src/pipeline/pipeline.ts'), 'utf8'),
      readFileSync(join(__dirname, 'model-selector.ts'), 'utf8'),
      'Grüße aus Köln! Ça va? Один, два, три. 東京は晴れです。 مرحبا بالعالم 👋🏽 ½ ∑ 1234567 3.14159',
      base64Noise(5_000),
      `${'a'.repeat(200)} ${' '.repeat(100)}x ${'!'.repeat(150)}\n\n\n\t\t${'😀'.repeat(60)}`,
    ];
    for (const text of documents) expect(countTextTokens(text, model)).toBe(reference.encode(text).length);
  });

  it('counts special-token text as the plain text it is instead of throwing', () => {
    expect(countTextTokens('say <|endoftext|> now', 'gpt-4o')).toBeGreaterThan(3);
  });

  describe('pathological inputs stay linear', () => {
    // Generous: about 10× what a loaded 2-core CI machine needs, and 100× below the old behaviour
    // (10,000 × "a" alone took 10 s).
    const MS_PER_100KB = 500;
    const cases: Array<[string, string]> = [
      ['100 KB of "a"', 'a'.repeat(100_000)],
      ['100 KB of one emoji', '😀'.repeat(50_000)],
      ['100 KB of random base64', base64Noise(100_000)],
      ['100 KB of whitespace', ' '.repeat(60_000) + '\n'.repeat(20_000) + ' \t'.repeat(10_000)],
      ['100 KB of CJK without spaces', '漢字仮名交じり文'.repeat(12_500)],
      ['1 MB mixed', `${ENGLISH.paragraph.repeat(300)}${'a'.repeat(100_000)}${'😀'.repeat(50_000)}${base64Noise(100_000)}${' '.repeat(100_000)}${'!'.repeat(100_000)}`.repeat(2)],
    ];
    it.each(cases)('%s, in both encodings', (_label, text) => {
      const budget = (MS_PER_100KB * Buffer.byteLength(text)) / 100_000;
      expect(timed(text, 'gpt-4o')).toBeLessThan(budget);
      expect(timed(text, 'gpt-4')).toBeLessThan(budget);
    });

    it('only shifts the count of a very long run marginally', () => {
      // 8 a's are one cl100k token; bounded pieces keep that exactly.
      expect(countTextTokens('a'.repeat(100_000), 'gpt-4')).toBe(12_500);
      expect(countTextTokens('a'.repeat(1_000), 'gpt-4')).toBe(getEncoding('cl100k_base').encode('a'.repeat(1_000)).length);
    });
  });

  it('adds the chat format overhead per message', async () => {
    expect(await estimateConversationTokens(['hello world'], 1, 'gpt-4o')).toBe(2 + 3 + 3);
    expect(await estimateConversationTokens(['hello world', 'hello world'], 2, 'gpt-4o')).toBe(4 + 6 + 3);
  });

  it('counts a conversation that fits one slice without a promise, to the same total as the sliced count', async () => {
    const texts = [ENGLISH.paragraph, ENGLISH.code];
    expect(conversationTokensNow(texts, 2, 'gpt-4o')).toBe(await estimateConversationTokens(texts, 2, 'gpt-4o'));
    // Too long for one slice: the caller must await the sliced count, which yields meanwhile.
    expect(conversationTokensNow([ENGLISH.paragraph.repeat(20)], 1, 'gpt-4o')).toBeUndefined();
  });

  it('counts a large conversation in slices, letting other work run in between, to the same total', async () => {
    const texts = [ENGLISH.paragraph.repeat(200), 'a'.repeat(200_000), ENGLISH.code];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const total = await estimateConversationTokens(texts, 3, 'gpt-4o');
    clearInterval(ticker);
    expect(total).toBe(texts.reduce((sum, text) => sum + countTextTokens(text, 'gpt-4o'), 0) + 3 * 3 + 3);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('outputTokenBound', () => {
  it('reads each dialect’s maximum, rounds up, and falls back when none is named or it is not a count', () => {
    expect(outputTokenBound({ max_tokens: 10 }, 99)).toBe(10);
    expect(outputTokenBound({ max_completion_tokens: 7.2 }, 99)).toBe(8);
    expect(outputTokenBound({ max_output_tokens: 0 }, 99)).toBe(0);
    expect(outputTokenBound({}, 99)).toBe(99);
    expect(outputTokenBound({ max_tokens: '10' }, 99)).toBe(99);
    expect(outputTokenBound({ max_tokens: -1 }, 99)).toBe(99);
  });
});
