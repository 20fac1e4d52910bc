import { GatewayError } from '@app/core';
import { toAnthropicRequest } from './anthropic-request';

const base = { model: 'claude-x', messages: [{ role: 'user', content: 'Hi' }] };
const translate = (extra: Record<string, unknown>) => toAnthropicRequest({ ...base, ...extra }, { defaultMaxTokens: 1000 }).body;

function paramOf(extra: Record<string, unknown>): string | undefined {
  try {
    translate(extra);
  } catch (error) {
    if (error instanceof GatewayError && error.status === 400) return error.param;
    throw error;
  }
  return undefined;
}

describe('toAnthropicRequest', () => {
  it('defaults max_tokens and prefers max_completion_tokens', () => {
    expect(translate({}).max_tokens).toBe(1000);
    expect(translate({ max_tokens: 50, max_completion_tokens: 70 }).max_tokens).toBe(70);
  });

  it('keeps max_tokens above the thinking budget', () => {
    expect(translate({ reasoning_effort: 'medium', max_completion_tokens: 20_000 })).toMatchObject({ max_tokens: 20_000, thinking: { budget_tokens: 8192 } });
    expect(translate({ reasoning_effort: 'high' })).toMatchObject({ max_tokens: 24_576 + 1000, thinking: { type: 'enabled', budget_tokens: 24_576 } });
    expect(translate({ reasoning_effort: 'none' }).thinking).toBeUndefined();
  });

  it('maps tool_choice and parallel_tool_calls', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    expect(translate({ tools, tool_choice: 'auto' }).tool_choice).toEqual({ type: 'auto' });
    expect(translate({ tools, tool_choice: 'none', parallel_tool_calls: false }).tool_choice).toEqual({ type: 'none' });
    expect(translate({ tools, parallel_tool_calls: false }).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(translate({ tools, tool_choice: { type: 'function', function: { name: 'f' } } }).tool_choice).toEqual({ type: 'tool', name: 'f' });
    expect(translate({ tools }).tool_choice).toBeUndefined();
  });

  it('sends PDFs given inline as document blocks', () => {
    const messages = [{ role: 'user', content: [{ type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } }] }];
    expect(translate({ messages }).messages).toEqual([
      { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }] },
    ]);
  });

  it.each([
    ['n', { n: 3 }],
    ['top_logprobs', { top_logprobs: 2 }],
    ['audio', { audio: { voice: 'alloy', format: 'wav' } }],
    ['modalities', { modalities: ['text', 'audio'] }],
    ['logit_bias', { logit_bias: { 50256: -100 } }],
    ['store', { store: true }],
    ['service_tier', { service_tier: 'flex' }],
    ['prediction', { prediction: { type: 'content', content: 'x' } }],
    ['stop', { stop: 42 }],
    ['max_tokens', { max_tokens: 0 }],
    ['tools[0]', { tools: [{ type: 'web_search' }] }],
    ['tool_choice', { tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'sometimes' }],
    ['response_format.json_schema.schema', { response_format: { type: 'json_schema', json_schema: { name: 'list', schema: { type: 'array' } } } }],
    ['response_format', { response_format: { type: 'json_object' }, reasoning_effort: 'low' }],
    ['messages[0].content[0].image_url.url', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }],
    ['messages[0].content[0].file.file_data', { messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] }],
    [
      'messages[1].tool_calls[0].function.arguments',
      { messages: [base.messages[0], { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] },
    ],
    ['messages[0].tool_call_id', { messages: [{ role: 'tool', content: 'x' }] }],
    ['messages[0].role', { messages: [{ role: 'function', name: 'f', content: 'x' }] }],
  ])('refuses with a 400 naming %s', (param, extra) => {
    expect(paramOf(extra)).toBe(param);
  });

  it('accepts neutral values of fields it cannot translate', () => {
    expect(paramOf({ n: 1, logprobs: false, presence_penalty: 0, frequency_penalty: 0, store: false, modalities: ['text'], logit_bias: {} })).toBeUndefined();
  });
});
