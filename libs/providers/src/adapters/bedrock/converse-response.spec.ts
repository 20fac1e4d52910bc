import { toChatCompletion } from './converse-response';

describe('toChatCompletion', () => {
  it('translates text, reasoning and tool use blocks, stop reason and usage', () => {
    const completion = toChatCompletion(
      {
        output: {
          message: {
            role: 'assistant',
            content: [
              { reasoningContent: { reasoningText: { text: 'think', signature: 's' } } },
              { text: 'Checking.' },
              { toolUse: { toolUseId: 'tu_1', name: 'get_weather', input: { city: 'Paris' } } },
            ],
          },
        },
        stopReason: 'tool_use',
        usage: { inputTokens: 10, outputTokens: 4, totalTokens: 20, cacheReadInputTokens: 2, cacheWriteInputTokens: 4 },
      },
      'anthropic.claude',
    );
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'anthropic.claude',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Checking.',
            reasoning_content: 'think',
            tool_calls: [{ id: 'tu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
        },
      ],
      usage: { prompt_tokens: 16, completion_tokens: 4, total_tokens: 20, prompt_tokens_details: { cached_tokens: 2 } },
    });
    expect((completion.id as string).startsWith('chatcmpl-')).toBe(true);
  });

  it('answers content null for a tool-only message and maps guardrail stops to content_filter', () => {
    const toolOnly = toChatCompletion({ output: { message: { content: [{ toolUse: { toolUseId: 'a', name: 'f', input: {} } }] } }, stopReason: 'tool_use' }, 'm') as any;
    expect(toolOnly.choices[0].message.content).toBeNull();
    const filtered = toChatCompletion({ output: { message: { content: [{ text: 'x' }] } }, stopReason: 'guardrail_intervened' }, 'm') as any;
    expect(filtered.choices[0].finish_reason).toBe('content_filter');
  });
});
