import { toUsageRow } from './usage-row';
import type { NewUsageRecord } from './new-usage-record';

const base: NewUsageRecord = {
  requestId: 'req-1',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  provider: 'openai',
  model: 'gpt-4o',
  endpoint: '/v1/chat/completions',
  status: 200,
  stream: true,
  inputTokens: 10,
  outputTokens: 20,
  cachedTokens: 0,
  reasoningTokens: 0,
  audioInputTokens: 0,
  audioOutputTokens: 0,
  audioDurationMs: null,
  inputCharacters: null,
  latencyMs: 100,
  timeToFirstTokenMs: 50,
  keyId: null,
  userPath: null,
  errorType: null,
};

describe('toUsageRow', () => {
  it('keeps well-formed records as they are', () => {
    expect(toUsageRow(base)).toEqual({
      ...base,
      cacheWriteTokens: 0,
      audioInputTokens: 0,
      audioOutputTokens: 0,
      costInputMicros: null,
      costCachedInputMicros: null,
      costCacheWriteMicros: null,
      costOutputMicros: null,
      costReasoningMicros: null,
      costAudioInputMicros: null,
      costAudioOutputMicros: null,
      costMicros: null,
      costSource: null,
      batchId: null,
      customId: null,
      cacheHit: false,
      savedCostMicros: null,
    });
  });

  it('keeps a cache hit and what it saved', () => {
    expect(toUsageRow({ ...base, cacheHit: true, savedCostMicros: 1234.4 })).toMatchObject({ cacheHit: true, savedCostMicros: 1234 });
  });

  it('flattens the cost breakdown into integer micro-dollar columns', () => {
    const cost = { input: 2440, cachedInput: 1280, cacheWrite: 0, output: 5000, reasoning: 0.4, audioInput: 0, audioOutput: 0, total: 8720, source: 'price_table' as const };
    expect(toUsageRow({ ...base, cost, cacheWriteTokens: 3 })).toMatchObject({
      cacheWriteTokens: 3,
      costInputMicros: 2440,
      costReasoningMicros: 0,
      costMicros: 8720,
      costSource: 'price_table',
    });
  });

  it('keeps the batch and custom id of a batch item', () => {
    expect(toUsageRow({ ...base, batchId: 'batch_1', customId: 'req-7' })).toMatchObject({ batchId: 'batch_1', customId: 'req-7' });
  });

  it('coerces numbers a database integer column would reject', () => {
    const row = toUsageRow({ ...base, latencyMs: 12.6, timeToFirstTokenMs: 3.2, inputTokens: Number.NaN, outputTokens: -5, cachedTokens: 1e12 });
    expect(row).toMatchObject({ latencyMs: 13, timeToFirstTokenMs: 3, inputTokens: 0, outputTokens: 0, cachedTokens: 2_147_483_647 });
    expect(toUsageRow({ ...base, audioDurationMs: 8470.4, inputCharacters: -1 })).toMatchObject({ audioDurationMs: 8470, inputCharacters: 0 });
  });

  it('truncates text longer than its column instead of failing the whole batch', () => {
    const row = toUsageRow({ ...base, model: 'm'.repeat(1_000), requestId: 'r'.repeat(200), keyId: 'k'.repeat(65) });
    expect(row.model).toHaveLength(255);
    expect(row.requestId).toHaveLength(128);
    expect(row.keyId).toHaveLength(64);
  });

  it('strips NUL and replaces lone surrogates in every text column, which PostgreSQL would refuse', () => {
    const row = toUsageRow({
      ...base,
      requestId: 'req\u0000-1',
      model: 'gpt\u0000-4o\uD800',
      provider: '\uDC00openai',
      endpoint: '/p/openai/\u0000',
      keyId: 'key\u0000',
      userPath: 'team/\uD83D',
      errorType: 'x\u0000',
    });
    expect(row).toMatchObject({
      requestId: 'req-1',
      model: 'gpt-4o\uFFFD',
      provider: '\uFFFDopenai',
      endpoint: '/p/openai/',
      keyId: 'key',
      userPath: 'team/\uFFFD',
      errorType: 'x',
    });
  });
});
