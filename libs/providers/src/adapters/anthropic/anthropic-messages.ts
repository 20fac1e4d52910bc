import { GatewayError } from '@app/core';
import type { AnthropicBlock, AnthropicMessageParam } from './anthropic-types';
import { userContentBlocks } from './anthropic-content';

interface Turn {
  readonly role: 'user' | 'assistant';
  readonly content: AnthropicBlock[];
}

export interface TranslatedMessages {
  readonly system?: string | AnthropicBlock[];
  readonly messages: AnthropicMessageParam[];
}

/**
 * Chat messages → Messages API turns. System and developer messages become the top-level
 * `system`; tool results become `tool_result` blocks of a user turn. Anthropic requires user and
 * assistant turns to alternate, so consecutive messages of one role (e.g. several tool results
 * followed by a user note) are merged into one turn, in order.
 */
export function toAnthropicMessages(messages: readonly unknown[]): TranslatedMessages {
  const system: AnthropicBlock[] = [];
  const turns: Turn[] = [];
  messages.forEach((raw, index) => {
    const path = `messages[${index}]`;
    if (!raw || typeof raw !== 'object') throw GatewayError.invalidRequest(`'${path}' must be an object.`, path);
    const message = raw as Record<string, unknown>;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textOnlyBlocks(message.content, `${path}.content`));
        return;
      case 'user':
        return append(turns, 'user', userContentBlocks(message.content, `${path}.content`));
      case 'assistant':
        return append(turns, 'assistant', assistantBlocks(message, path));
      case 'tool':
        return append(turns, 'user', [toolResultBlock(message, path)]);
      default:
        throw GatewayError.invalidRequest(`Message role '${String(message.role)}' cannot be sent to an Anthropic provider.`, `${path}.role`);
    }
  });
  return { system: collapseSystem(system), messages: turns.map(collapseTurn) };
}

function append(turns: Turn[], role: Turn['role'], blocks: AnthropicBlock[]): void {
  if (blocks.length === 0) return;
  const last = turns.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

/** A turn made of one plain text block is sent as a string, the form most requests use. */
function collapseTurn(turn: Turn): AnthropicMessageParam {
  const only = turn.content.length === 1 ? turn.content[0] : undefined;
  if (only?.type === 'text' && Object.keys(only).length === 2) return { role: turn.role, content: only.text as string };
  return { role: turn.role, content: turn.content };
}

function collapseSystem(blocks: AnthropicBlock[]): string | AnthropicBlock[] | undefined {
  if (blocks.length === 0) return undefined;
  return blocks.length === 1 ? (blocks[0].text as string) : blocks;
}

/** Content that may only hold text (system, developer and tool messages): a string or text parts. */
export function textOnlyBlocks(content: unknown, path: string): AnthropicBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw GatewayError.invalidRequest(`'${path}' must be a string or an array of text parts.`, path);
  return content.map((part, index) => {
    if (part?.type !== 'text' || typeof part.text !== 'string') {
      throw GatewayError.invalidRequest(`'${path}[${index}]' must be a text part for an Anthropic provider.`, `${path}[${index}]`);
    }
    return { type: 'text', text: part.text };
  });
}

function assistantBlocks(message: Record<string, unknown>, path: string): AnthropicBlock[] {
  if (message.function_call != null) {
    throw GatewayError.invalidRequest("The deprecated 'function_call' cannot be sent to an Anthropic provider; use 'tool_calls'.", `${path}.function_call`);
  }
  // Anthropic rejects empty text blocks; OpenAI clients send `content: ""` beside tool calls.
  // A prior turn's `reasoning_content` is not sent back: Anthropic only accepts thinking blocks
  // with the signature it issued, and ignores thinking from earlier turns anyway.
  const blocks = message.content == null ? [] : assistantTextBlocks(message.content, `${path}.content`);
  const calls = message.tool_calls;
  if (calls == null) return blocks;
  if (!Array.isArray(calls)) throw GatewayError.invalidRequest(`'${path}.tool_calls' must be an array.`, `${path}.tool_calls`);
  return [...blocks, ...calls.map((call, index) => toolUseBlock(call, `${path}.tool_calls[${index}]`))];
}

function assistantTextBlocks(content: unknown, path: string): AnthropicBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw GatewayError.invalidRequest(`'${path}' must be a string or an array of parts.`, path);
  return content.flatMap((part, index): AnthropicBlock[] => {
    // A refusal in the history is what the assistant said; Anthropic has only text for it.
    const text = part?.type === 'text' ? part.text : part?.type === 'refusal' ? part.refusal : undefined;
    if (typeof text !== 'string') throw GatewayError.invalidRequest(`'${path}[${index}]' must be a text or refusal part.`, `${path}[${index}]`);
    return text === '' ? [] : [{ type: 'text', text }];
  });
}

function toolUseBlock(call: unknown, path: string): AnthropicBlock {
  const record = (call ?? {}) as { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } };
  if (record.type !== 'function' || typeof record.id !== 'string' || typeof record.function?.name !== 'string') {
    throw GatewayError.invalidRequest(`'${path}' must be a function call with an id and a name.`, path);
  }
  return { type: 'tool_use', id: record.id, name: record.function.name, input: parseArguments(record.function.arguments, `${path}.function.arguments`) };
}

function parseArguments(raw: unknown, path: string): unknown {
  if (raw == null || raw === '') return {};
  if (typeof raw !== 'string') throw GatewayError.invalidRequest(`'${path}' must be a JSON string.`, path);
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch {
    throw GatewayError.invalidRequest(`'${path}' is not valid JSON.`, path);
  }
  // Anthropic's tool input is always an object.
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw GatewayError.invalidRequest(`'${path}' must encode a JSON object.`, path);
  return input;
}

function toolResultBlock(message: Record<string, unknown>, path: string): AnthropicBlock {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
    throw GatewayError.invalidRequest(`'${path}.tool_call_id' is required for a tool message.`, `${path}.tool_call_id`);
  }
  const content = typeof message.content === 'string' ? message.content : textOnlyBlocks(message.content, `${path}.content`);
  return { type: 'tool_result', tool_use_id: message.tool_call_id, content };
}
