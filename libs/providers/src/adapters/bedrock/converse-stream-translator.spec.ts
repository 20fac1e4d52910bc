import { ConverseStreamError, ConverseStreamTranslator } from './converse-stream-translator';

const parse = (chunks: string[]) => chunks.map((chunk) => JSON.parse(chunk));

describe('ConverseStreamTranslator', () => {
  it('translates text, tool use and stop events to chunks with stable tool indexes, then a usage chunk', () => {
    const translator = new ConverseStreamTranslator('m');
    const chunks = parse([
      ...translator.handle('messageStart', { role: 'assistant' }),
      ...translator.handle('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'hmm' } } }),
      ...translator.handle('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'sig' } } }),
      ...translator.handle('contentBlockDelta', { contentBlockIndex: 1, delta: { text: 'Let me check.' } }),
      ...translator.handle('contentBlockStop', { contentBlockIndex: 1 }),
      ...translator.handle('contentBlockStart', { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather' } } }),
      ...translator.handle('contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '{"city":' } } }),
      ...translator.handle('contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '"Paris"}' } } }),
      ...translator.handle('messageStop', { stopReason: 'tool_use' }),
      ...translator.handle('metadata', { usage: { inputTokens: 10, outputTokens: 5, totalTokens: 19, cacheReadInputTokens: 4 }, metrics: { latencyMs: 9 } }),
      ...translator.finish(),
    ]);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'hmm' },
      { content: 'Let me check.' },
      { tool_calls: [{ index: 0, id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {},
      undefined,
    ]);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 14, completion_tokens: 5, total_tokens: 19, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 0 } },
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
  ])('maps stopReason %s to %s', (stopReason, finish) => {
    const translator = new ConverseStreamTranslator('m');
    expect(JSON.parse(translator.handle('messageStop', { stopReason })[0]).choices[0].finish_reason).toBe(finish);
  });

  it('treats a stream without messageStop as truncated', () => {
    const translator = new ConverseStreamTranslator('m');
    translator.handle('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'cut' } });
    expect(() => translator.finish()).toThrow(ConverseStreamError);
  });

  it('rejects a toolUse delta for a block that never started', () => {
    expect(() => new ConverseStreamTranslator('m').handle('contentBlockDelta', { contentBlockIndex: 3, delta: { toolUse: { input: '{}' } } })).toThrow(ConverseStreamError);
  });
});
