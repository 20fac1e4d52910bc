import { GatewayError, generateId } from '@app/core';
import { storableText } from '../database/storable-text';
import { CONVERSATION_ITEM_ID_LENGTH } from './conversation-item.entity';

/** Most items one create call may add (OpenAI's limit, for the conversation and the items route). */
export const MAX_ITEMS_PER_CALL = 20;

/** Id prefix of each storable Responses item type, as OpenAI names its own item ids. */
const ID_PREFIX_BY_TYPE: Readonly<Record<string, string>> = {
  message: 'msg_',
  function_call: 'fc_',
  function_call_output: 'fco_',
  reasoning: 'rs_',
  file_search_call: 'fs_',
  web_search_call: 'ws_',
  computer_call: 'cu_',
  computer_call_output: 'cuo_',
  image_generation_call: 'ig_',
  code_interpreter_call: 'ci_',
  local_shell_call: 'lsh_',
  local_shell_call_output: 'lsho_',
  shell_call: 'sh_',
  shell_call_output: 'sho_',
  apply_patch_call: 'apc_',
  apply_patch_call_output: 'apco_',
  mcp_list_tools: 'mcpl_',
  mcp_approval_request: 'mcpr_',
  mcp_approval_response: 'mcpa_',
  mcp_call: 'mcp_',
  custom_tool_call: 'ctc_',
  custom_tool_call_output: 'ctco_',
  compaction: 'cmp_',
};

const MESSAGE_ROLES = new Set(['user', 'assistant', 'system', 'developer']);

/** Content part types a stored message may hold, and the string field each one needs. */
const PART_TEXT_FIELD: Readonly<Record<string, string | null>> = {
  input_text: 'text',
  output_text: 'text',
  text: 'text',
  summary_text: 'text',
  reasoning_text: 'text',
  refusal: 'refusal',
  input_image: null,
  input_file: null,
  input_audio: null,
  computer_screenshot: null,
};

type Item = Record<string, unknown>;

function isObject(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string, param: string): GatewayError {
  return GatewayError.invalidRequest(message, param);
}

function requireString(item: Item, field: string, param: string): void {
  if (typeof item[field] !== 'string') throw invalid(`'${field}' must be a string.`, `${param}.${field}`);
}

/** A string `content` becomes one text part, the way OpenAI stores a shorthand message. */
function contentParts(role: string, content: unknown, param: string): Item[] {
  if (typeof content === 'string') {
    return [role === 'assistant' ? { type: 'output_text', text: content, annotations: [] } : { type: 'input_text', text: content }];
  }
  if (!Array.isArray(content)) throw invalid("A message's 'content' must be a string or an array of content parts.", `${param}.content`);
  content.forEach((part, index) => checkPart(part, `${param}.content[${index}]`));
  return content as Item[];
}

function checkPart(part: unknown, param: string): void {
  if (!isObject(part)) throw invalid('A content part must be an object.', param);
  const type = part.type;
  if (typeof type !== 'string' || !(type in PART_TEXT_FIELD)) {
    throw invalid(`Unsupported content part type ${JSON.stringify(type)}; expected one of ${Object.keys(PART_TEXT_FIELD).join(', ')}.`, `${param}.type`);
  }
  const field = PART_TEXT_FIELD[type];
  if (field) requireString(part, field, param);
  if (type === 'input_image' && typeof part.image_url !== 'string' && typeof part.file_id !== 'string') {
    throw invalid("An 'input_image' part needs an 'image_url' or a 'file_id'.", param);
  }
}

function normalizeMessage(item: Item, param: string): Item {
  const role = item.role;
  if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
    throw invalid(`A message's 'role' must be one of ${[...MESSAGE_ROLES].join(', ')}.`, `${param}.role`);
  }
  return { ...item, content: contentParts(role, item.content, param), status: item.status ?? 'completed' };
}

/** Checks the fields of the item types the gateway itself reads back (messages and function calls). */
function normalizeByType(item: Item, type: string, param: string): Item {
  switch (type) {
    case 'message':
      return normalizeMessage(item, param);
    case 'function_call':
      for (const field of ['call_id', 'name', 'arguments']) requireString(item, field, param);
      return { ...item, status: item.status ?? 'completed' };
    case 'function_call_output':
      requireString(item, 'call_id', param);
      if (typeof item.output !== 'string' && !Array.isArray(item.output)) {
        throw invalid("'output' must be a string or an array of content parts.", `${param}.output`);
      }
      return item;
    case 'reasoning':
      if (!Array.isArray(item.summary)) throw invalid("A reasoning item's 'summary' must be an array.", `${param}.summary`);
      return item;
    default:
      return item;
  }
}

function itemType(item: Item, param: string): string {
  // The Responses API accepts `{role, content}` without a type as shorthand for a message.
  const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
  if (type === 'item_reference') throw invalid("Items of type 'item_reference' cannot be stored; send the item itself.", `${param}.type`);
  if (typeof type !== 'string' || !(type in ID_PREFIX_BY_TYPE)) {
    throw invalid(`Unsupported item type ${JSON.stringify(type)}.`, `${param}.type`);
  }
  return type;
}

function itemId(item: Item, type: string, param: string): string {
  if (item.id === undefined || item.id === null) return generateId(ID_PREFIX_BY_TYPE[type], 24);
  if (typeof item.id !== 'string' || item.id.length === 0 || item.id.length > CONVERSATION_ITEM_ID_LENGTH) {
    throw invalid(`An item 'id' must be a non-empty string of at most ${CONVERSATION_ITEM_ID_LENGTH} characters.`, `${param}.id`);
  }
  // The id as its column stores it (NUL removed, lone surrogates replaced), so the item, its
  // row and what the client is told all carry the same id.
  return storableText(item.id, CONVERSATION_ITEM_ID_LENGTH);
}

/**
 * Validates Responses input/output items for storage and gives each an id (a client's own id is
 * kept). Only `type` and the fields needed to replay an item are checked; everything else is kept
 * as sent. Throws a 400 GatewayError naming `<param>[i].<field>`.
 */
export function normalizeConversationItems(items: readonly unknown[], param = 'items'): Item[] {
  const seen = new Set<string>();
  return items.map((raw, index) => {
    const at = `${param}[${index}]`;
    if (!isObject(raw)) throw invalid('Each item must be an object.', at);
    const type = itemType(raw, at);
    const id = itemId(raw, type, at);
    if (seen.has(id)) throw invalid(`Duplicate item id '${id}'.`, `${at}.id`);
    seen.add(id);
    const { id: _id, type: _type, ...fields } = normalizeByType(raw, type, at);
    return { id, type, ...fields };
  });
}
