import { GatewayError, generateId, requireWellFormedId } from '@app/core';
import { isObject, type JsonObject, type ResponseItem } from './response-types';

/** The fields of a Responses request the gateway itself acts on; the rest is translated or forwarded. */
export interface ResponseRequestFields {
  readonly model: string;
  readonly stream: boolean;
  readonly background: boolean;
  readonly store: boolean;
  readonly previousResponseId?: string;
  readonly conversationId?: string;
  /** `input` as a list of items, each with an `id` (assigned when the client gave none). */
  readonly input: ResponseItem[];
}

const invalid = (message: string, param: string) => GatewayError.invalidRequest(message, param, 'invalid_type');

function optionalBoolean(body: JsonObject, name: string, fallback: boolean): boolean {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw invalid(`'${name}' must be a boolean.`, name);
  return value;
}

function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') throw invalid(`'${name}' must be a non-empty string.`, name);
  return value;
}

/**
 * Ids reach storage queries and provider URLs: NUL, dots or slashes in one are refused here (400
 * naming it). Conversations are the gateway's own, so theirs must also carry its `conv_` prefix.
 */
function optionalId(value: string | undefined, param: string, prefix?: string): string | undefined {
  return value === undefined ? undefined : requireWellFormedId(value, param, prefix);
}

function conversationId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value !== '') return value;
  if (isObject(value) && typeof value.id === 'string' && value.id !== '') return value.id;
  throw invalid("'conversation' must be a conversation id or an object with an 'id'.", 'conversation');
}

/**
 * Reads and checks what routing, storage and the lifecycle need. Everything else is left to the
 * translation (which refuses what it cannot express) or to the native upstream.
 */
export function readResponseRequest(body: JsonObject): ResponseRequestFields {
  const model = body.model;
  if (model === undefined || model === null || model === '') {
    throw GatewayError.invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  }
  if (typeof model !== 'string') throw invalid("'model' must be a string.", 'model');
  const fields = {
    model,
    stream: optionalBoolean(body, 'stream', false),
    background: optionalBoolean(body, 'background', false),
    store: optionalBoolean(body, 'store', true),
    previousResponseId: optionalId(optionalString(body, 'previous_response_id'), 'previous_response_id'),
    conversationId: optionalId(conversationId(body.conversation), 'conversation', 'conv_'),
    input: normalizeInput(body.input),
  };
  if (fields.previousResponseId && fields.conversationId) {
    throw GatewayError.invalidRequest("'previous_response_id' and 'conversation' cannot be used together.", 'conversation');
  }
  if (fields.background && !fields.store) throw GatewayError.invalidRequest("'background' requires 'store' to be true.", 'background');
  return fields;
}

/** `input` as items: a string is one user message; item ids are assigned where missing. */
export function normalizeInput(input: unknown): ResponseItem[] {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [{ id: generateId('msg_'), type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }];
  if (!Array.isArray(input)) throw invalid("'input' must be a string or an array of items.", 'input');
  return input.map((item, index) => normalizeItem(item, index));
}

function normalizeItem(item: unknown, index: number): ResponseItem {
  if (!isObject(item)) throw invalid(`'input[${index}]' must be an object.`, `input[${index}]`);
  const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
  if (typeof type !== 'string') throw GatewayError.invalidRequest(`'input[${index}].type' is required.`, `input[${index}].type`);
  const normalized: ResponseItem = { ...item, type };
  if (type === 'message' && typeof item.content === 'string') normalized.content = [textPart(String(item.role), item.content)];
  if (typeof item.id !== 'string' || item.id === '') normalized.id = generateId(ID_PREFIXES[type] ?? 'item_');
  else requireWellFormedId(item.id, `input[${index}].id`);
  return normalized;
}

const ID_PREFIXES: Record<string, string> = { message: 'msg_', function_call: 'fc_', function_call_output: 'fco_', reasoning: 'rs_' };

function textPart(role: string, text: string): JsonObject {
  return role === 'assistant' ? { type: 'output_text', text, annotations: [] } : { type: 'input_text', text };
}
