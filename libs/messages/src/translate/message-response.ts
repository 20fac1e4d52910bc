import { anthropicUsageFromCanonical } from './messages-usage';
import { reasoningText, toolInput, toStopInfo } from './stop-reason';

type Block = Record<string, unknown>;

/**
 * A canonical `chat.completion` → an Anthropic `message`: reasoning first as a thinking block (no
 * signature exists for it), then the text, then one tool_use block per tool call, in the order
 * the streamed answer produces them, so a client reassembles the same message either way.
 */
export function toAnthropicMessage(completion: Record<string, any>, id: string, model: string, stopSequences: readonly string[]): Record<string, unknown> {
  const choice = (completion.choices?.[0] ?? {}) as Record<string, any>;
  const message = (choice.message ?? {}) as Record<string, any>;
  const content: Block[] = [];
  const reasoning = reasoningText(message);
  if (reasoning !== '') content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  const text = messageText(message.content) || (typeof message.refusal === 'string' ? message.refusal : '');
  if (text !== '') content.push({ type: 'text', text });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    content.push({ type: 'tool_use', id: String(call?.id ?? ''), name: String(call?.function?.name ?? ''), input: toolInput(call?.function?.arguments) });
  }
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    ...toStopInfo(choice.finish_reason, choice.stop_reason, stopSequences),
    usage: anthropicUsageFromCanonical(completion.usage),
  };
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
}
