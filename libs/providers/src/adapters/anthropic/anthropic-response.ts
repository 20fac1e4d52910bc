import type { AnthropicBlock, AnthropicMessage } from './anthropic-types';
import { toFinishReason } from './anthropic-finish-reason';
import { toCanonicalUsage } from './anthropic-usage';

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * A Messages API `message` → a canonical `chat.completion`. Text blocks become the content,
 * thinking blocks `reasoning_content`, tool_use blocks `tool_calls` (Anthropic's ids kept, so a
 * later tool result refers to the same id). Redacted thinking is encrypted and has no text to show.
 */
export function toChatCompletion(message: AnthropicMessage, jsonToolName?: string): Record<string, unknown> {
  let text = '';
  let reasoning = '';
  let answeredWithJsonTool = false;
  const toolCalls: ToolCall[] = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text') text += typeof block.text === 'string' ? block.text : '';
    else if (block.type === 'thinking') reasoning += typeof block.thinking === 'string' ? block.thinking : '';
    else if (block.type === 'tool_use' && block.name === jsonToolName) {
      answeredWithJsonTool = true;
      text += JSON.stringify(block.input ?? {});
    } else if (block.type === 'tool_use') toolCalls.push(toToolCall(block));
  }
  const chatMessage: Record<string, unknown> = { role: 'assistant', content: toolCalls.length > 0 && text === '' ? null : text };
  if (reasoning !== '') chatMessage.reasoning_content = reasoning;
  if (toolCalls.length > 0) chatMessage.tool_calls = toolCalls;
  chatMessage.refusal = null;
  return {
    id: message.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: message.model,
    choices: [{ index: 0, message: chatMessage, logprobs: null, finish_reason: toFinishReason(message.stop_reason, answeredWithJsonTool) }],
    usage: toCanonicalUsage(message.usage),
  };
}

function toToolCall(block: AnthropicBlock): ToolCall {
  return { id: String(block.id), type: 'function', function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) } };
}
