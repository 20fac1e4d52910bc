import { GatewayError } from '@app/core';
import { itemsToMessages } from './items-to-messages';
import { type ChatMessage, isObject, type JsonObject, type ResponseItem } from './response-types';

/** Hosted tools run by OpenAI's own servers; a translated provider has nothing to run them with. */
const HOSTED_TOOLS = new Set([
  'web_search',
  'web_search_preview',
  'web_search_preview_2025_03_11',
  'file_search',
  'code_interpreter',
  'computer_use',
  'computer_use_preview',
  'image_generation',
  'mcp',
  'local_shell',
  'shell',
  'apply_patch',
]);

/** Fields the gateway itself handles (routing, storage, lifecycle) or that only shape its own output. */
const GATEWAY_FIELDS = new Set(['model', 'input', 'stream', 'store', 'background', 'previous_response_id', 'conversation', 'metadata', 'include', 'stream_options', 'truncation']);

/** Fields copied to the chat request under the same name. */
const SAME_NAME = ['temperature', 'top_p', 'parallel_tool_calls', 'user', 'service_tier', 'top_logprobs', 'prompt_cache_key', 'safety_identifier'];

/**
 * A Responses request (with the prior turns already resolved into `history`) → a Chat Completions
 * body for `model`. Every field is either translated, handled by the gateway, or refused with a
 * 400 naming it: nothing is dropped silently.
 */
export function toChatBody(body: JsonObject, input: readonly ResponseItem[], history: readonly ResponseItem[], model: string, stream: boolean): JsonObject {
  const chat: JsonObject = { model, messages: buildMessages(body, input, history) };
  if (stream) chat.stream = true;
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || GATEWAY_FIELDS.has(name) || name === 'instructions') continue;
    if (SAME_NAME.includes(name)) chat[name] = value;
    else if (name === 'max_output_tokens') chat.max_tokens = value;
    else if (name === 'tools') chat.tools = translateTools(value);
    else if (name === 'tool_choice') chat.tool_choice = translateToolChoice(value);
    else if (name === 'text') Object.assign(chat, translateText(value));
    else if (name === 'reasoning') Object.assign(chat, translateReasoning(value));
    else if (value !== null) throw GatewayError.invalidRequest(`The parameter '${name}' is not supported for this provider.`, name, 'unsupported_parameter');
  }
  if (body.truncation === 'auto') {
    throw GatewayError.invalidRequest("'truncation: auto' is not supported for this provider; use 'disabled'.", 'truncation', 'unsupported_value');
  }
  if (stream && chat.top_logprobs !== undefined) chat.logprobs = true;
  return chat;
}

function buildMessages(body: JsonObject, input: readonly ResponseItem[], history: readonly ResponseItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (body.instructions !== undefined && body.instructions !== null) {
    if (typeof body.instructions !== 'string') throw GatewayError.invalidRequest("'instructions' must be a string.", 'instructions');
    messages.push({ role: 'system', content: body.instructions });
  }
  messages.push(...itemsToMessages(history, 'previous_response_id'), ...itemsToMessages(input));
  if (messages.every((message) => message.role === 'system')) {
    throw GatewayError.invalidRequest("'input' must contain at least one message.", 'input', 'empty_array');
  }
  return messages;
}

/** Function tools become chat tools; hosted tools are refused by name. */
export function translateTools(tools: unknown): JsonObject[] {
  if (!Array.isArray(tools)) throw GatewayError.invalidRequest("'tools' must be an array.", 'tools', 'invalid_type');
  return tools.map((tool, index) => {
    if (!isObject(tool)) throw GatewayError.invalidRequest(`'tools[${index}]' must be an object.`, `tools[${index}]`);
    if (tool.type === 'function') {
      const fn: JsonObject = { name: tool.name };
      for (const key of ['description', 'parameters', 'strict']) if (tool[key] !== undefined && tool[key] !== null) fn[key] = tool[key];
      return { type: 'function', function: fn };
    }
    const kind = HOSTED_TOOLS.has(String(tool.type)) ? 'The hosted tool' : 'The tool type';
    throw GatewayError.invalidRequest(`${kind} '${String(tool.type)}' is not available for this provider; only function tools are.`, `tools[${index}].type`, 'unsupported_tool');
  });
}

function translateToolChoice(choice: unknown): unknown {
  if (typeof choice === 'string') return choice;
  if (isObject(choice) && choice.type === 'function' && typeof choice.name === 'string') return { type: 'function', function: { name: choice.name } };
  if (isObject(choice) && choice.type === 'allowed_tools') {
    throw GatewayError.invalidRequest("'tool_choice' of type 'allowed_tools' is not supported for this provider.", 'tool_choice', 'unsupported_value');
  }
  throw GatewayError.invalidRequest(
    `'tool_choice' names the hosted tool '${isObject(choice) ? String(choice.type) : String(choice)}', which this provider cannot run.`,
    'tool_choice',
    'unsupported_tool',
  );
}

/** `text.format` → `response_format`; `text.verbosity` → `verbosity`. */
function translateText(text: unknown): JsonObject {
  if (!isObject(text)) throw GatewayError.invalidRequest("'text' must be an object.", 'text', 'invalid_type');
  const chat: JsonObject = {};
  if (text.verbosity !== undefined && text.verbosity !== null) chat.verbosity = text.verbosity;
  const format = text.format;
  if (format === undefined || format === null || (isObject(format) && format.type === 'text')) return chat;
  if (isObject(format) && format.type === 'json_object') return { ...chat, response_format: { type: 'json_object' } };
  if (isObject(format) && format.type === 'json_schema') {
    const schema: JsonObject = { name: format.name, schema: format.schema };
    if (format.description !== undefined) schema.description = format.description;
    if (format.strict !== undefined && format.strict !== null) schema.strict = format.strict;
    return { ...chat, response_format: { type: 'json_schema', json_schema: schema } };
  }
  throw GatewayError.invalidRequest("'text.format.type' must be one of text, json_object, json_schema.", 'text.format.type', 'unsupported_value');
}

/** `reasoning.effort` → `reasoning_effort`; summaries come back from the provider's reasoning text. */
function translateReasoning(reasoning: unknown): JsonObject {
  if (reasoning === null) return {};
  if (!isObject(reasoning)) throw GatewayError.invalidRequest("'reasoning' must be an object.", 'reasoning', 'invalid_type');
  return reasoning.effort === undefined || reasoning.effort === null ? {} : { reasoning_effort: reasoning.effort };
}
