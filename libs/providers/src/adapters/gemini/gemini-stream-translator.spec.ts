import { GeminiStreamTranslator } from './gemini-stream-translator';

const parse = (chunks: string[]) => chunks.map((chunk) => JSON.parse(chunk));

describe('GeminiStreamTranslator', () => {
  it('is incomplete until a finishReason arrives', () => {
    const translator = new GeminiStreamTranslator('m');
    translator.translate({ candidates: [{ content: { parts: [{ text: 'a' }] } }] });
    expect(translator.complete).toBe(false);
    translator.translate({ candidates: [{ content: { parts: [] }, finishReason: 'MAX_TOKENS' }] });
    expect(translator.complete).toBe(true);
    expect(parse(translator.finish())[0].choices[0].finish_reason).toBe('length');
  });

  it('ends a blocked prompt with content_filter and the prompt usage', () => {
    const translator = new GeminiStreamTranslator('m');
    const first = parse(translator.translate({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 9 } }));
    expect(first).toHaveLength(1);
    expect(first[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(translator.complete).toBe(true);
    const [finish, usage] = parse(translator.finish());
    expect(finish.choices[0].finish_reason).toBe('content_filter');
    expect(usage.choices).toEqual([]);
    expect(usage.usage.prompt_tokens).toBe(9);
  });

  it('numbers tool calls across events and keeps one chunk id', () => {
    const translator = new GeminiStreamTranslator('m');
    const call = { functionCall: { name: 'f', args: { a: 1 } } };
    const chunks = parse([
      ...translator.translate({ candidates: [{ content: { parts: [call] } }] }),
      ...translator.translate({ candidates: [{ content: { parts: [call] }, finishReason: 'STOP' }] }),
      ...translator.finish(),
    ]);
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta?.tool_calls).map((chunk) => chunk.choices[0].delta.tool_calls[0].index)).toEqual([0, 1]);
    expect(chunks.at(-2).choices[0].finish_reason).toBe('tool_calls');
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });
});
