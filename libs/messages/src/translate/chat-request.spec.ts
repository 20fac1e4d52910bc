import { GatewayError } from '@app/core';
import { toChatRequest } from './chat-request';

function refusal(body: Record<string, unknown>): GatewayError {
  try {
    toChatRequest(body, 'gpt-4o');
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a refusal');
}

const base = { model: 'alias', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] };

describe('toChatRequest (Messages → Chat Completions)', () => {
  it('translates system blocks, sampling, stop sequences, metadata and stream', () => {
    const plan = toChatRequest(
      {
        ...base,
        system: [
          { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Answer in French.' },
        ],
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        metadata: { user_id: 'u-1' },
        stream: true,
      },
      'gpt-4o',
    );
    expect(plan.body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are terse.\n\nAnswer in French.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop: ['END'],
      user: 'u-1',
      stream: true,
    });
    expect(plan.stopSequences).toEqual(['END']);
  });

  it('translates a tool round trip: tool_use → tool_calls, tool_result → tool messages before the user text', () => {
    const { body } = toChatRequest(
      {
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'I should call the tool.', signature: 'sig' },
              { type: 'text', text: 'Let me check.' },
              { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18°C' }], cache_control: { type: 'ephemeral' } },
              { type: 'text', text: 'And tomorrow?' },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'unavailable', is_error: true }] },
        ],
      },
      'gpt-4o',
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
      { role: 'user', content: 'And tomorrow?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: unavailable' },
    ]);
  });

  it('translates images (base64 and URL) and PDF documents', () => {
    const { body } = toChatRequest(
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0K' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
              { type: 'document', title: 'spec.pdf', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0' } },
              { type: 'text', text: 'Describe these.' },
            ],
          },
        ],
      },
      'gpt-4o',
    );
    expect((body.messages as any[])[0].content).toEqual([
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
      { type: 'file', file: { filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0' } },
      { type: 'text', text: 'Describe these.' },
    ]);
  });

  it('translates tools, tool_choice with disable_parallel_tool_use, and thinking', () => {
    const { body } = toChatRequest(
      {
        ...base,
        tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } }, cache_control: { type: 'ephemeral' } }],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
        thinking: { type: 'enabled', budget_tokens: 10_000 },
      },
      'gpt-4o',
    );
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ]);
    expect(body.tool_choice).toBe('required');
    expect(body.parallel_tool_calls).toBe(false);
    expect(body.reasoning_effort).toBe('medium');
  });

  it('drops the streaming hint eager_input_streaming (@ai-sdk/anthropic sets it on every streamed tool) and refuses tool fields it cannot honour, by name', () => {
    const tool = { name: 'get_weather', input_schema: { type: 'object' }, eager_input_streaming: true, cache_control: { type: 'ephemeral' } };
    expect(toChatRequest({ ...base, stream: true, tools: [tool] }, 'gpt-4o').body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
    ]);
    for (const field of ['defer_loading', 'allowed_callers', 'input_examples']) {
      expect(() => toChatRequest({ ...base, tools: [{ ...tool, [field]: true }] }, 'gpt-4o')).toThrow(expect.objectContaining({ param: `tools[0].${field}` }));
    }
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'none' }, 'none'],
    [
      { type: 'tool', name: 'get_weather' },
      { type: 'function', function: { name: 'get_weather' } },
    ],
  ])('maps tool_choice %j', (choice, expected) => {
    const tools = [{ name: 'get_weather', input_schema: { type: 'object' } }];
    expect(toChatRequest({ ...base, tools, tool_choice: choice }, 'gpt-4o').body.tool_choice).toEqual(expected);
  });

  it.each([
    [{ type: 'enabled', budget_tokens: 1024 }, 'low'],
    [{ type: 'enabled', budget_tokens: 30_000 }, 'high'],
    [{ type: 'disabled' }, undefined],
    [{ type: 'adaptive' }, undefined],
  ])('maps thinking %j to reasoning_effort %s', (thinking, effort) => {
    expect(toChatRequest({ ...base, thinking }, 'gpt-4o').body.reasoning_effort).toBe(effort);
  });

  it.each([
    ['a server tool', { tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type'],
    ['a bash tool', { tools: [{ type: 'bash_20250124', name: 'bash' }] }, 'tools[0].type'],
    ['an MCP server list', { mcp_servers: [{ type: 'url', url: 'https://mcp.example.com' }] }, 'mcp_servers'],
    ['a container', { container: 'cntr_1' }, 'container'],
    [
      'document citations',
      { messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' }, citations: { enabled: true } }] }] },
      'messages[0].content[0].citations',
    ],
    ['a file-id image', { messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }] }, 'messages[0].content[0].source.type'],
    [
      'an image in a tool result',
      { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }] }] },
      'messages[0].content[0].content[0]',
    ],
    [
      'a server tool result in history',
      { messages: [{ role: 'assistant', content: [{ type: 'web_search_tool_result', tool_use_id: 's', content: [] }] }] },
      'messages[0].content[0].type',
    ],
  ])('refuses %s with a 400 naming it', (_what, patch, param) => {
    const error = refusal({ ...base, ...patch });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
  });
});
