import { GatewayError } from '@app/core';
import { type ChatMessage, isObject, type JsonObject, type ResponseItem } from './response-types';

const unsupported = (message: string, param: string) => GatewayError.invalidRequest(message, param, 'unsupported_value');

/**
 * Responses input items (history included) → Chat Completions messages. Messages keep their role
 * (`developer` becomes `system`, which every chat dialect accepts); consecutive `function_call`
 * items join one assistant message's `tool_calls`; `function_call_output` becomes a `tool`
 * message. Reasoning items are not sent back: chat APIs take no reasoning input, and a model's
 * earlier thoughts are not part of what it is asked.
 */
export function itemsToMessages(items: readonly ResponseItem[], param = 'input'): ChatMessage[] {
  const messages: ChatMessage[] = [];
  items.forEach((item, index) => {
    const where = `${param}[${index}]`;
    switch (item.type) {
      case 'message':
        messages.push(messageToChat(item, where));
        return;
      case 'function_call':
        appendToolCall(messages, item, where);
        return;
      case 'function_call_output':
        messages.push({ role: 'tool', tool_call_id: requiredString(item, 'call_id', where), content: outputText(item.output, where) });
        return;
      case 'reasoning':
        return;
      default:
        throw unsupported(`Input items of type '${String(item.type)}' cannot be sent to this provider.`, `${where}.type`);
    }
  });
  return messages;
}

function requiredString(item: JsonObject, name: string, where: string): string {
  const value = item[name];
  if (typeof value !== 'string') throw GatewayError.invalidRequest(`'${where}.${name}' must be a string.`, `${where}.${name}`);
  return value;
}

function messageToChat(item: ResponseItem, where: string): ChatMessage {
  const role = item.role === 'developer' ? 'system' : item.role;
  if (role !== 'user' && role !== 'system' && role !== 'assistant') {
    throw GatewayError.invalidRequest(`'${where}.role' must be one of user, assistant, system, developer.`, `${where}.role`);
  }
  const content = Array.isArray(item.content) ? item.content : [];
  if (role !== 'user') return { role, content: content.map((part, index) => partText(part, `${where}.content[${index}]`)).join('') };
  return { role, content: content.map((part, index) => userPart(part, `${where}.content[${index}]`)) };
}

/** Text of a part in a system or assistant message (chat takes plain text there). */
function partText(part: unknown, where: string): string {
  if (isObject(part) && (part.type === 'input_text' || part.type === 'output_text') && typeof part.text === 'string') return part.text;
  if (isObject(part) && part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
  throw unsupported(`Only text content can be sent in this message (got '${isObject(part) ? String(part.type) : typeof part}').`, where);
}

function userPart(part: unknown, where: string): JsonObject {
  if (!isObject(part)) throw GatewayError.invalidRequest(`'${where}' must be an object.`, where);
  if (part.type === 'input_text' || part.type === 'output_text') return { type: 'text', text: part.text };
  if (part.type === 'input_image') {
    if (typeof part.image_url !== 'string') {
      throw unsupported('Images must be given as `image_url` (a URL or data URL); file ids cannot be sent to this provider.', `${where}.image_url`);
    }
    return { type: 'image_url', image_url: part.detail ? { url: part.image_url, detail: part.detail } : { url: part.image_url } };
  }
  throw unsupported(`Content parts of type '${String(part.type)}' cannot be sent to this provider.`, `${where}.type`);
}

function appendToolCall(messages: ChatMessage[], item: ResponseItem, where: string): void {
  const call = {
    id: requiredString(item, 'call_id', where),
    type: 'function',
    function: { name: requiredString(item, 'name', where), arguments: typeof item.arguments === 'string' ? item.arguments : '{}' },
  };
  const last = messages.at(-1);
  if (last?.role === 'assistant') {
    last.tool_calls = [...((last.tool_calls as unknown[] | undefined) ?? []), call];
    return;
  }
  messages.push({ role: 'assistant', content: null, tool_calls: [call] });
}

/** A function call's output: a string, or content parts whose text is joined. */
function outputText(output: unknown, where: string): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((part, index) => partText(part, `${where}.output[${index}]`)).join('');
  throw GatewayError.invalidRequest(`'${where}.output' must be a string or an array of content parts.`, `${where}.output`);
}
