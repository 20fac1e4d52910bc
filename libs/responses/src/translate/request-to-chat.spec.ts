import { GatewayError } from '@app/core';
import { toChatBody } from './request-to-chat';
import { normalizeInput, readResponseRequest } from './response-request';

const translate = (body: Record<string, unknown>) => toChatBody(body, normalizeInput(body.input), [], 'upstream-model', false);

describe('Responses request → chat body', () => {
  it('translates images, developer messages and assistant history', () => {
    const chat = translate({
      input: [
        { role: 'developer', content: 'Rules.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look' },
            { type: 'input_image', image_url: 'https://x/img.png', detail: 'low' },
          ],
        },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A cat.' }] },
      ],
      top_p: 0.9,
      parallel_tool_calls: false,
      user: 'u1',
    });
    expect(chat).toEqual({
      model: 'upstream-model',
      messages: [
        { role: 'system', content: 'Rules.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image_url', image_url: { url: 'https://x/img.png', detail: 'low' } },
          ],
        },
        { role: 'assistant', content: 'A cat.' },
      ],
      top_p: 0.9,
      parallel_tool_calls: false,
      user: 'u1',
    });
  });

  it.each([
    [{ input: 'x', tools: [{ type: 'file_search' }] }, 'tools[0].type'],
    [{ input: 'x', tool_choice: { type: 'web_search' } }, 'tool_choice'],
    [{ input: 'x', prompt: { id: 'p' } }, 'prompt'],
    [{ input: [{ type: 'input_file', file_id: 'f' }] }, 'input[0].type'],
    [{ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] }, 'input[0].content[0].image_url'],
    [{ input: 'x', truncation: 'auto' }, 'truncation'],
  ])('refuses what it cannot translate, naming the field (%j)', (body, param) => {
    expect(() => translate(body)).toThrow(GatewayError);
    try {
      translate(body);
    } catch (error) {
      expect((error as GatewayError).param).toBe(param);
      expect((error as GatewayError).status).toBe(400);
    }
  });

  it('checks the routing fields and their combinations', () => {
    expect(() => readResponseRequest({ input: 'x' })).toThrow(/model/);
    expect(() => readResponseRequest({ model: 'm', previous_response_id: 'resp_1', conversation: 'conv_1' })).toThrow(/together/);
    expect(() => readResponseRequest({ model: 'm', background: true, store: false })).toThrow(/store/);
    expect(readResponseRequest({ model: 'm', conversation: { id: 'conv_1' }, input: 'hi' })).toMatchObject({ conversationId: 'conv_1', store: true, stream: false });
  });
});
