import { chunksToCompletion, completionToChunks, streamCompleted } from './chat-reshape';

const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini' };
const sse = (chunks: object[]) => chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n';

describe('chat reshaping', () => {
  it('reassembles a chunk stream (content, tool calls, finish reason, usage) into its completion', () => {
    const stream = sse([
      { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: null }] },
      {
        ...head,
        choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"a"' } }] }, finish_reason: null }],
      },
      { ...head, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { ...head, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
    ]);
    expect(JSON.parse(chunksToCompletion(stream)!)).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"a":1}' } }] },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
  });

  it('turns a completion into a stream that reassembles to the same completion', () => {
    const completion = {
      id: 'chatcmpl-2',
      object: 'chat.completion',
      created: 1700000001,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
    };
    const stream = completionToChunks(JSON.stringify(completion), true);
    expect(stream.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(streamCompleted('chat', stream)).toBe(true);
    expect(JSON.parse(chunksToCompletion(stream)!)).toEqual(completion);
    expect(completionToChunks(JSON.stringify(completion), false)).not.toContain('"usage"');
  });

  it('knows a complete stream by its terminal event, per dialect', () => {
    expect(streamCompleted('chat', sse([{ ...head, choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] }]))).toBe(false);
    expect(streamCompleted('messages', 'event: message_start\ndata: {}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    expect(streamCompleted('messages', 'event: message_start\ndata: {}\n\n')).toBe(false);
    expect(streamCompleted('responses', 'event: response.completed\ndata: {"type":"response.completed"}\n\n')).toBe(true);
  });
});
