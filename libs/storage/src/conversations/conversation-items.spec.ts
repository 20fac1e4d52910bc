import { GatewayError } from '@app/core';
import { normalizeConversationItems } from './conversation-items';

function failure(items: unknown[], param?: string): GatewayError {
  try {
    normalizeConversationItems(items, param);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a validation failure');
}

describe('normalizeConversationItems', () => {
  it('gives each item an id prefixed by its type and keeps every other field', () => {
    const [message, call, output, reasoning] = normalizeConversationItems([
      { role: 'developer', content: 'Rules.', custom: { kept: true } },
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'ok' }] },
      { type: 'reasoning', summary: [], encrypted_content: 'opaque' },
    ]);
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_[0-9a-f]{48}$/),
      type: 'message',
      role: 'developer',
      content: [{ type: 'input_text', text: 'Rules.' }],
      status: 'completed',
      custom: { kept: true },
    });
    expect(call).toEqual({ id: expect.stringMatching(/^fc_/), type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}', status: 'completed' });
    expect(output.id).toMatch(/^fco_/);
    expect(reasoning).toEqual({ id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [], encrypted_content: 'opaque' });
  });

  it('keeps a client id and an explicit status, and gives distinct ids', () => {
    const items = normalizeConversationItems([
      { id: 'msg_mine', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'x', annotations: [] }], status: 'incomplete' },
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
    ]);
    expect(items[0]).toMatchObject({ id: 'msg_mine', status: 'incomplete' });
    expect(new Set(items.map((item) => item.id)).size).toBe(3);
  });

  it.each([
    [[null], 'items[0]'],
    [[{ content: 'no role or type' }], 'items[0].type'],
    [[{ type: 'item_reference', id: 'msg_1' }], 'items[0].type'],
    [[{ type: 'message', role: 'user', content: 7 }], 'items[0].content'],
    [[{ type: 'message', role: 'user', content: [{ type: 'input_image' }] }], 'items[0].content[0]'],
    [[{ type: 'message', role: 'user', content: [{ type: 'video' }] }], 'items[0].content[0].type'],
    [[{ type: 'function_call_output', call_id: 'c', output: 3 }], 'items[0].output'],
    [[{ type: 'reasoning' }], 'items[0].summary'],
    [[{ role: 'user', content: 'x', id: '' }], 'items[0].id'],
    [[{ role: 'user', content: 'x', id: 'i'.repeat(129) }], 'items[0].id'],
    [
      [
        { role: 'user', content: 'x', id: 'same' },
        { role: 'user', content: 'y', id: 'same' },
      ],
      'items[1].id',
    ],
  ])('rejects %j naming %s', (items, param) => {
    expect(failure(items)).toMatchObject({ status: 400, param });
  });

  it('names the caller’s parameter', () => {
    expect(failure([{ type: 'nope' }], 'input').param).toBe('input[0].type');
  });
});
