import { SseParser } from '@app/core';
import { OPENAI_COMPLETE } from '../../../../test/support/real-world-sse';
import { responseShell } from './response-object';
import { outputItemId, responseIdOfItem } from './item-ids';
import { ResponseStreamTranslator } from './response-stream-translator';

const chunk = (delta: object, finish: string | null = null) => JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
const usage = JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 7, completion_tokens_details: { reasoning_tokens: 3 } } });

function run(chunks: string[]) {
  const translator = new ResponseStreamTranslator(responseShell({ id: 'resp_1', model: 'm', createdAt: 1 }, {}, 'in_progress'));
  const events = [...translator.start(), ...chunks.flatMap((data) => translator.push(data)), ...translator.finish()];
  return { events, final: translator.response()! };
}

describe('ResponseStreamTranslator', () => {
  it('turns reasoning_content into a reasoning item with a summary, before the message', () => {
    const { events, final } = run([chunk({ reasoning_content: 'Think' }), chunk({ reasoning_content: 'ing.' }), chunk({ content: 'Answer' }), chunk({}, 'stop'), usage]);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(final.output).toEqual([
      expect.objectContaining({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking.' }] }),
      expect.objectContaining({ type: 'message', content: [expect.objectContaining({ text: 'Answer' })] }),
    ]);
    expect(final.usage).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 3 },
      total_tokens: 12,
    });
  });

  it('ends with response.incomplete when the model ran out of tokens', () => {
    const { events, final } = run([chunk({ content: 'Cut' }), chunk({}, 'length')]);
    expect(events.at(-1)!.type).toBe('response.incomplete');
    expect(final).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });

  it('gives each parallel tool call its own item, arguments accumulated', () => {
    const { final } = run([
      chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'a', arguments: '{"x"' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'b', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(final.output).toEqual([
      expect.objectContaining({ type: 'function_call', call_id: 'call_a', name: 'a', arguments: '{"x":1}' }),
      expect.objectContaining({ type: 'function_call', call_id: 'call_b', name: 'b', arguments: '{}' }),
    ]);
  });

  it('ends a broken stream with response.failed carrying the error', () => {
    const translator = new ResponseStreamTranslator(responseShell({ id: 'resp_2', model: 'm', createdAt: 1 }, {}, 'in_progress'));
    translator.start();
    translator.push(chunk({ content: 'Half' }));
    const events = translator.fail(undefined, 'Upstream broke.');
    expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'Upstream broke.' } } });
  });

  it('marks the items a broken stream cut short incomplete, in output_item.done and in the failed response', () => {
    const translator = new ResponseStreamTranslator(responseShell({ id: 'resp_3', model: 'm', createdAt: 1 }, {}, 'in_progress'));
    translator.start();
    translator.push(chunk({ content: 'Half' }));
    translator.push(chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'a', arguments: '{"x"' } }] }));
    const events = translator.fail(undefined, 'Upstream broke.');
    const done = events.filter((event) => event.type === 'response.output_item.done').map((event) => event.item);
    expect(done).toMatchObject([{ type: 'function_call', status: 'incomplete' }]);
    expect(translator.response()?.output).toMatchObject([
      { type: 'message', status: 'completed' },
      { type: 'function_call', status: 'incomplete' },
    ]);
  });

  it('gives output items ids that name their response, so item_reference can find them again', () => {
    const { final } = run([chunk({ content: 'Hi' }), chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'a', arguments: '{}' } }] }), chunk({}, 'tool_calls')]);
    const ids = (final.output as Array<{ id: string }>).map((item) => item.id);
    expect(ids).toEqual([outputItemId('msg_', String(final.id), 0), outputItemId('fc_', String(final.id), 1)]);
    expect(ids.map(responseIdOfItem)).toEqual([final.id, final.id]);
  });
});

describe.each(OPENAI_COMPLETE)('ResponseStreamTranslator on a stream that $name', ({ body, expected }) => {
  it('keeps the text, the status and the usage, wherever the upstream put it', () => {
    const parser = new SseParser();
    const chunks = [...parser.push(Buffer.from(body)), ...parser.end()].map((event) => event.data).filter((data) => data !== '[DONE]');
    const { final } = run(chunks);
    expect(final).toMatchObject({ status: 'completed', usage: { input_tokens: expected.inputTokens, output_tokens: expected.outputTokens } });
    expect(final.output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text: expected.content }] }]);
  });
});
