import { GatewayError } from '@app/core';

type Block = Record<string, any>;
type ChatMessage = Record<string, unknown>;

/** `system` (a string or text blocks) → one system message; cache_control hints are dropped (see chat-request.ts). */
export function systemMessages(system: unknown): ChatMessage[] {
  if (system === undefined || system === null || system === '') return [];
  if (typeof system === 'string') return [{ role: 'system', content: system }];
  if (!Array.isArray(system)) throw GatewayError.invalidRequest('system: Input should be a valid string or a list of text blocks', 'system');
  const texts = system.map((block, index) => {
    if (block?.type !== 'text' || typeof block.text !== 'string')
      throw GatewayError.invalidRequest(`system[${index}]: only text blocks are accepted in 'system'.`, `system[${index}]`);
    return block.text as string;
  });
  return texts.length === 0 ? [] : [{ role: 'system', content: texts.join('\n\n') }];
}

/**
 * Messages turns → Chat Completions messages. A user turn's tool_result blocks become `tool`
 * messages (placed first: Chat Completions wants them right after the assistant's tool calls) and
 * its other blocks one user message; an assistant turn's tool_use blocks become `tool_calls`.
 */
export function chatMessages(messages: unknown[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  messages.forEach((raw, index) => {
    const path = `messages[${index}]`;
    const message = (raw ?? {}) as Block;
    if (message.role === 'user') out.push(...userMessages(message.content, `${path}.content`));
    else if (message.role === 'assistant') out.push(...assistantMessages(message.content, `${path}.content`));
    else throw GatewayError.invalidRequest(`${path}.role: Input should be 'user' or 'assistant'`, `${path}.role`);
  });
  return out;
}

function blocksOf(content: unknown, path: string): Block[] {
  if (!Array.isArray(content)) throw GatewayError.invalidRequest(`${path}: Input should be a valid string or a list of content blocks`, path);
  return content.map((block, index) => {
    if (!block || typeof block !== 'object') throw GatewayError.invalidRequest(`${path}[${index}]: Input should be a content block`, `${path}[${index}]`);
    return block as Block;
  });
}

function userMessages(content: unknown, path: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const tools: ChatMessage[] = [];
  const parts: Block[] = [];
  blocksOf(content, path).forEach((block, index) => {
    if (block.type === 'tool_result') tools.push(toolMessage(block, `${path}[${index}]`));
    else parts.push(userPart(block, `${path}[${index}]`));
  });
  if (parts.length === 0) return tools;
  const onlyText = parts.length === 1 && parts[0].type === 'text';
  return [...tools, { role: 'user', content: onlyText ? parts[0].text : parts }];
}

function userPart(block: Block, path: string): Block {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: String(block.text ?? '') };
    case 'image':
      return { type: 'image_url', image_url: { url: imageUrl(block.source, `${path}.source`) } };
    case 'document':
      return documentPart(block, path);
    default:
      throw untranslatable(`Content block type '${String(block.type)}'`, `${path}.type`);
  }
}

function imageUrl(source: Block | undefined, path: string): string {
  if (source?.type === 'base64' && typeof source.data === 'string') return `data:${String(source.media_type)};base64,${source.data}`;
  if (source?.type === 'url' && typeof source.url === 'string') return source.url;
  throw untranslatable(`Image source type '${String(source?.type)}'`, `${path}.type`);
}

/** PDFs go as inline files, plain-text documents as text; citations need Anthropic's own models. */
function documentPart(block: Block, path: string): Block {
  if (block.citations?.enabled === true) throw untranslatable('Document citations', `${path}.citations`);
  const source = (block.source ?? {}) as Block;
  if (source.type === 'base64' && source.media_type === 'application/pdf' && typeof source.data === 'string') {
    const filename = typeof block.title === 'string' && block.title !== '' ? block.title : 'document.pdf';
    return { type: 'file', file: { filename, file_data: `data:application/pdf;base64,${source.data}` } };
  }
  if (source.type === 'text' && typeof source.data === 'string') return { type: 'text', text: source.data };
  throw untranslatable(`Document source type '${String(source.type)}'`, `${path}.source`);
}

/** A tool result is text for Chat Completions; an error result says so, since `tool` messages have no error flag. */
function toolMessage(block: Block, path: string): ChatMessage {
  if (typeof block.tool_use_id !== 'string' || block.tool_use_id === '') throw GatewayError.invalidRequest(`${path}.tool_use_id: Field required`, `${path}.tool_use_id`);
  let text: string;
  if (block.content === undefined || block.content === null) text = '';
  else if (typeof block.content === 'string') text = block.content;
  else {
    text = blocksOf(block.content, `${path}.content`)
      .map((part, index) => {
        if (part.type !== 'text') throw untranslatable(`'${String(part.type)}' content in a tool_result`, `${path}.content[${index}]`);
        return String(part.text ?? '');
      })
      .join('\n');
  }
  return { role: 'tool', tool_call_id: block.tool_use_id, content: block.is_error === true ? `Error: ${text}` : text };
}

/**
 * Thinking blocks of earlier turns are not sent on: no Chat Completions provider takes its own
 * reasoning back as input (Anthropic itself ignores thinking from earlier turns), and their
 * signatures only mean something to Anthropic.
 */
function assistantMessages(content: unknown, path: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'assistant', content }];
  const texts: Block[] = [];
  const calls: Block[] = [];
  blocksOf(content, path).forEach((block, index) => {
    const at = `${path}[${index}]`;
    if (block.type === 'text') texts.push({ type: 'text', text: String(block.text ?? '') });
    else if (block.type === 'tool_use') calls.push(toolCall(block, at));
    else if (block.type !== 'thinking' && block.type !== 'redacted_thinking') throw untranslatable(`Content block type '${String(block.type)}'`, `${at}.type`);
  });
  if (texts.length === 0 && calls.length === 0) return [];
  const message: ChatMessage = { role: 'assistant', content: texts.length === 0 ? null : texts.length === 1 ? texts[0].text : texts };
  if (calls.length > 0) message.tool_calls = calls;
  return [message];
}

function toolCall(block: Block, path: string): Block {
  if (typeof block.id !== 'string' || typeof block.name !== 'string') throw GatewayError.invalidRequest(`${path}: a tool_use block needs an id and a name`, path);
  return { id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } };
}

export function untranslatable(what: string, param: string): GatewayError {
  return GatewayError.invalidRequest(`${what} cannot be sent to this model's provider, which does not speak Anthropic's Messages API.`, param, 'unsupported_parameter');
}
