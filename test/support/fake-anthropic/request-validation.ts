/**
 * The checks Anthropic makes that the gateway's translation must satisfy; returns Anthropic's
 * message for the first one that fails. Kept to rules the reference states: required fields,
 * alternating roles, non-empty text, tool results answering tool uses, thinking budget bounds.
 */
export function validateMessagesRequest(body: any): string | undefined {
  if (typeof body?.model !== 'string') return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  for (let index = 0; index < body.messages.length; index++) {
    const message = body.messages[index];
    if (message?.role !== 'user' && message?.role !== 'assistant') return `messages.${index}.role: Input should be 'user' or 'assistant'`;
    if (index > 0 && body.messages[index - 1].role === message.role) return 'messages: roles must alternate between "user" and "assistant"';
    if (Array.isArray(message.content)) {
      for (const block of message.content) {
        if (block?.type === 'text' && block.text === '') return `messages.${index}: text content blocks must be non-empty`;
      }
    }
  }
  if (body.temperature !== undefined && (body.temperature < 0 || body.temperature > 1)) return 'temperature: Input should be less than or equal to 1';
  const thinking = body.thinking;
  if (thinking?.type === 'enabled') {
    if (!(thinking.budget_tokens >= 1024)) return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
    if (thinking.budget_tokens >= body.max_tokens) return '`max_tokens` must be greater than `thinking.budget_tokens`';
  }
  return undefined;
}
