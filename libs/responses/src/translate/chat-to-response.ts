import { generateId, usageFromOpenAI } from '@app/core';
import { outputItemId } from './item-ids';
import type { ResponseOutcome } from './response-object';
import { isObject, type JsonObject, type ResponseItem } from './response-types';

/** Output items of the three kinds a chat answer can produce, built the way OpenAI shapes them. */
export const outputItems = {
  reasoning: (id: string, summary: string): ResponseItem => ({ id, type: 'reasoning', summary: summary ? [{ type: 'summary_text', text: summary }] : [] }),
  message: (id: string, text: string, status = 'completed'): ResponseItem => ({
    id,
    type: 'message',
    status,
    role: 'assistant',
    content: [outputText(text)],
  }),
  functionCall: (id: string, callId: string, name: string, args: string, status = 'completed'): ResponseItem => ({
    id,
    type: 'function_call',
    status,
    call_id: callId,
    name,
    arguments: args,
  }),
};

export function outputText(text: string): JsonObject {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** Status of a response from the chat `finish_reason`: `length` means it ran out of tokens. */
export function statusFromFinish(finishReason: unknown): Pick<ResponseOutcome, 'status' | 'incompleteReason'> {
  if (finishReason === 'length') return { status: 'incomplete', incompleteReason: 'max_output_tokens' };
  if (finishReason === 'content_filter') return { status: 'incomplete', incompleteReason: 'content_filter' };
  return { status: 'completed' };
}

/** A canonical `chat.completion` → the outcome of a response (output items, usage, status). */
export function outcomeFromCompletion(completion: JsonObject, responseId: string): ResponseOutcome {
  const choice = Array.isArray(completion.choices) && isObject(completion.choices[0]) ? completion.choices[0] : {};
  const message = isObject(choice.message) ? choice.message : {};
  const output: ResponseItem[] = [];
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
    output.push(outputItems.reasoning(outputItemId('rs_', responseId, output.length), message.reasoning_content));
  }
  const text = typeof message.content === 'string' ? message.content : typeof message.refusal === 'string' ? message.refusal : '';
  if (text !== '' || !Array.isArray(message.tool_calls) || message.tool_calls.length === 0) output.push(outputItems.message(outputItemId('msg_', responseId, output.length), text));
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    const fn = isObject(call) && isObject(call.function) ? call.function : {};
    const callId = isObject(call) && typeof call.id === 'string' ? call.id : generateId('call_');
    const name = typeof fn.name === 'string' ? fn.name : '';
    const args = typeof fn.arguments === 'string' ? fn.arguments : '';
    output.push(outputItems.functionCall(outputItemId('fc_', responseId, output.length), callId, name, args));
  }
  return { ...statusFromFinish(choice.finish_reason), output, usage: usageFromOpenAI(completion.usage) };
}
