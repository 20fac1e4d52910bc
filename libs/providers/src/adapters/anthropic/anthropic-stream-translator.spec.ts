import { GatewayError } from '@app/core';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { AnthropicStreamTranslator } from './anthropic-stream-translator';

const start = {
  type: 'message_start',
  message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 10, cache_read_input_tokens: 4, cache_creation_input_tokens: 1, output_tokens: 1 } },
};

function run(events: Array<Record<string, unknown>>, jsonTool?: string) {
  const translator = new AnthropicStreamTranslator('anthropic', jsonTool);
  const chunks = events.flatMap((event) => translator.translate(event)).map((data) => JSON.parse(data));
  return { translator, chunks };
}

describe('AnthropicStreamTranslator', () => {
  it('numbers tool calls by order of their blocks, not by Anthropic block index', () => {
    const { chunks } = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} } },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"x":1}' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"y":2}' } },
    ]);
    const calls = chunks.flatMap((chunk) => chunk.choices[0].delta.tool_calls ?? []);
    expect(calls).toEqual([
      { index: 0, id: 'toolu_a', type: 'function', function: { name: 'a', arguments: '' } },
      { index: 1, id: 'toolu_b', type: 'function', function: { name: 'b', arguments: '' } },
      { index: 1, function: { arguments: '{"x":1}' } },
      { index: 0, function: { arguments: '{"y":2}' } },
    ]);
  });

  it('sends "{}" for a tool call whose input never streamed', () => {
    const { chunks } = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} } },
      { type: 'content_block_stop', index: 0 },
    ]);
    expect(chunks.at(-1).choices[0].delta).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] });
  });

  it('ends with the finish_reason chunk and then the usage-only chunk, usage merged from message_delta', () => {
    const { chunks, translator } = run([
      start,
      { type: 'ping' },
      { type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 42 } },
      { type: 'message_stop' },
    ]);
    expect(translator.done).toBe(true);
    expect(chunks.map((chunk) => (chunk.choices.length > 0 ? chunk.choices[0].finish_reason : 'usage'))).toEqual([null, 'length', 'usage']);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 15, completion_tokens: 42, total_tokens: 57, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 0 } },
    });
  });

  it('turns an error event into an UpstreamFailure with the mapped status', () => {
    const translator = new AnthropicStreamTranslator('anthropic');
    translator.translate(start);
    const failure = (() => {
      try {
        translator.translate({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      } catch (error) {
        return error as UpstreamFailure;
      }
    })();
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect(failure).toMatchObject({ status: 502, upstreamStatus: 529, message: 'Overloaded' });
  });

  it('rejects events out of order', () => {
    expect(() => run([{ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }])).toThrow(GatewayError);
    expect(() => run([start, { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'x' } }])).toThrow(/never started/);
    expect(() => run([start, start])).toThrow(/second/);
  });

  it('ignores signature deltas, redacted thinking and unknown events', () => {
    const { chunks } = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'opaque' } },
      { type: 'some_future_event' },
    ]);
    expect(chunks).toHaveLength(1);
  });
});
