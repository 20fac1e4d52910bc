import { SseParser } from '@app/core';
import { OPENAI_COMPLETE } from '../../../../test/support/real-world-sse';
import { toAnthropicMessage } from './message-response';
import { MessageStreamTranslator } from './message-stream-translator';

const USAGE = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 100 }, completion_tokens_details: { reasoning_tokens: 10 } };
const head = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[';
const chunk = (delta: object, finish: string | null = null) =>
  `${head}{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}`;
const usageChunk = `${head}],"usage":${JSON.stringify(USAGE)}}`;

interface Event {
  event: string;
  data: Record<string, any>;
}

function parseEvents(text: string): Event[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const event = eventLine.slice('event: '.length);
      const data = JSON.parse(dataLine.slice('data: '.length));
      expect(data.type).toBe(event);
      return { event, data };
    });
}

/** What Anthropic's SDK does with the events: the message they add up to. */
function reassemble(events: Event[]): Record<string, any> {
  let message: Record<string, any> = {};
  const json: Record<number, string> = {};
  for (const { data } of events) {
    if (data.type === 'message_start') message = structuredClone(data.message);
    if (data.type === 'content_block_start') message.content[data.index] = structuredClone(data.content_block);
    if (data.type === 'content_block_delta') {
      const block = message.content[data.index];
      if (data.delta.type === 'text_delta') block.text += data.delta.text;
      if (data.delta.type === 'thinking_delta') block.thinking += data.delta.thinking;
      if (data.delta.type === 'input_json_delta') {
        json[data.index] = (json[data.index] ?? '') + data.delta.partial_json;
        block.input = JSON.parse(json[data.index]);
      }
    }
    if (data.type === 'message_delta') {
      Object.assign(message, data.delta);
      Object.assign(message.usage, data.usage);
    }
  }
  return message;
}

describe('MessageStreamTranslator (chat chunks → Anthropic events)', () => {
  function run(chunks: string[], stopSequences: string[] = []): Event[] {
    const translator = new MessageStreamTranslator('msg_1', 'my-model', stopSequences);
    let text = translator.start();
    for (const data of chunks) text += translator.push(data);
    text += translator.finish();
    return parseEvents(text);
  }

  it('emits the exact event sequence with increasing block indices for thinking, text and two tool calls', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'Think' }),
      chunk({ reasoning_content: 'ing.' }),
      chunk({ content: 'Checking ' }),
      chunk({ content: 'both.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk,
    ]);
    expect(events.map((e) => `${e.event}${e.data.index === undefined ? '' : `#${e.data.index}`}${e.data.delta?.type ? `:${e.data.delta.type}` : ''}`)).toEqual([
      'message_start',
      'ping',
      'content_block_start#0',
      'content_block_delta#0:thinking_delta',
      'content_block_delta#0:thinking_delta',
      'content_block_stop#0',
      'content_block_start#1',
      'content_block_delta#1:text_delta',
      'content_block_delta#1:text_delta',
      'content_block_stop#1',
      'content_block_start#2',
      'content_block_delta#2:input_json_delta',
      'content_block_delta#2:input_json_delta',
      'content_block_stop#2',
      'content_block_start#3',
      'content_block_delta#3:input_json_delta',
      'content_block_stop#3',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0].data.message).toMatchObject({ id: 'msg_1', type: 'message', role: 'assistant', model: 'my-model', content: [], stop_reason: null });
    expect(events.at(-2)!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 30 },
    });
  });

  it('adds up to the same message as the non-streaming translation of the same answer', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'Hmm.' }),
      chunk({ content: 'Let me look.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk,
    ]);
    const completion = {
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Let me look.',
            reasoning_content: 'Hmm.',
            tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }],
          },
        },
      ],
      usage: USAGE,
    };
    expect(reassemble(events)).toEqual(toAnthropicMessage(completion, 'msg_1', 'my-model', []));
  });

  it('maps finish reasons, and reports a stop sequence when the upstream names it', () => {
    const stopOf = (events: Event[]) => events.at(-2)!.data.delta;
    expect(stopOf(run([chunk({ content: 'a' }, 'length'), usageChunk]))).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(stopOf(run([chunk({ content: 'a' }, 'stop'), usageChunk]))).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    const vllm = `${head}{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"END"}]}`;
    expect(stopOf(run([chunk({ content: 'a' }), vllm, usageChunk], ['END']))).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('exposes the upstream usage for metering', () => {
    const translator = new MessageStreamTranslator('msg_1', 'm', []);
    translator.push(chunk({ content: 'a' }, 'stop'));
    translator.push(usageChunk);
    expect(translator.usage).toEqual({ inputTokens: 120, outputTokens: 30, cachedTokens: 100, reasoningTokens: 10 });
  });
});

describe.each(OPENAI_COMPLETE)('MessageStreamTranslator on a stream that $name', ({ body, expected }) => {
  it('keeps the text, the stop reason and the usage, wherever the upstream put it', () => {
    const parser = new SseParser();
    const chunks = [...parser.push(Buffer.from(body)), ...parser.end()].map((event) => event.data).filter((data) => data !== '[DONE]');
    const translator = new MessageStreamTranslator('msg_1', 'm', []);
    const message = reassemble(parseEvents(translator.start() + chunks.map((data) => translator.push(data)).join('') + translator.finish()));
    expect(message.content).toEqual([{ type: 'text', text: expected.content }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: expected.inputTokens, output_tokens: expected.outputTokens });
    expect(translator.usage).toMatchObject({ inputTokens: expected.inputTokens, outputTokens: expected.outputTokens });
  });
});

describe('toAnthropicMessage (chat.completion → message)', () => {
  it('builds text and tool_use blocks with parsed input, stop reason and Anthropic usage', () => {
    const message = toAnthropicMessage(
      {
        choices: [
          {
            index: 0,
            finish_reason: 'tool_calls',
            message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 5 },
      },
      'msg_x',
      'claude-alias',
      [],
    );
    expect(message).toEqual({
      id: 'msg_x',
      type: 'message',
      role: 'assistant',
      model: 'claude-alias',
      content: [{ type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 },
    });
  });
});
