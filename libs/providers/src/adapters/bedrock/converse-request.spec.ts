import { GatewayError } from '@app/core';
import { toConverseRequest } from './converse-request';

const PNG = 'iVBORw0KGgo=';

function rejection(body: Record<string, unknown>): GatewayError {
  try {
    toConverseRequest(body);
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('toConverseRequest', () => {
  it('translates system, text, images, tool calls and tool results, merging same-role turns', () => {
    const request = toConverseRequest({
      model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here and there?' },
            { type: 'image_url', image_url: { url: `data:image/jpg;base64,${PNG}` } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '25C' }] },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: 'required',
      max_tokens: 256,
      temperature: 0.5,
      top_p: 0.9,
      stop: 'END',
    });
    expect(request).toEqual({
      system: [{ text: 'Be brief.' }, { text: 'Use tools.' }],
      messages: [
        { role: 'user', content: [{ text: 'Weather here and there?' }, { image: { format: 'jpeg', source: { bytes: PNG } } }] },
        {
          role: 'assistant',
          content: [
            { toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } },
            { toolUse: { toolUseId: 'call_2', name: 'get_weather', input: { city: 'Rome' } } },
          ],
        },
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 'call_1', content: [{ text: '18C' }] } }, { toolResult: { toolUseId: 'call_2', content: [{ text: '25C' }] } }],
        },
      ],
      inferenceConfig: { maxTokens: 256, temperature: 0.5, topP: 0.9, stopSequences: ['END'] },
      toolConfig: {
        tools: [{ toolSpec: { name: 'get_weather', description: 'Weather by city', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
        toolChoice: { any: {} },
      },
    });
  });

  it('maps tool_choice auto and a named function, and prefers max_completion_tokens', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const messages = [{ role: 'user', content: 'x' }];
    expect(toConverseRequest({ messages, tools, tool_choice: 'auto' }).toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object', properties: {} } } } }],
      toolChoice: { auto: {} },
    });
    expect((toConverseRequest({ messages, tools, tool_choice: { type: 'function', function: { name: 'f' } } }).toolConfig as any).toolChoice).toEqual({ tool: { name: 'f' } });
    expect(toConverseRequest({ messages, max_tokens: 5, max_completion_tokens: 9 }).inferenceConfig).toEqual({ maxTokens: 9 });
  });

  it("drops the tools for tool_choice 'none' when the history has no tool blocks", () => {
    expect(
      toConverseRequest({ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'none' }).toolConfig,
    ).toBeUndefined();
  });

  it('refuses an http image URL, naming the field', () => {
    const error = rejection({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages[0].content[1].image_url');
    expect(error.message).toContain('base64 data URL');
  });

  it.each([
    [{ n: 2 }, 'n'],
    [{ response_format: { type: 'json_schema', json_schema: {} } }, 'response_format'],
    [{ logprobs: true }, 'logprobs'],
    [{ presence_penalty: 0.5 }, 'presence_penalty'],
    [{ reasoning_effort: 'high' }, 'reasoning_effort'],
  ])('refuses untranslatable %j naming %s', (extra, param) => {
    expect(rejection({ messages: [{ role: 'user', content: 'x' }], ...extra }).param).toBe(param);
  });

  it('accepts default values of those fields', () => {
    expect(() => toConverseRequest({ messages: [{ role: 'user', content: 'x' }], n: 1, logprobs: false, presence_penalty: 0, response_format: { type: 'text' } })).not.toThrow();
  });

  it('refuses invalid tool-call arguments and unknown content parts by name', () => {
    expect(rejection({ messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{bad' } }] }] }).param).toBe(
      'messages[0].tool_calls[0].function.arguments',
    );
    expect(rejection({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] }).param).toBe('messages[0].content[0].type');
    expect(rejection({ messages: [] }).param).toBe('messages');
  });
});
