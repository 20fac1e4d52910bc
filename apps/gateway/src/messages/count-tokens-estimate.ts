import { estimateConversationTokens } from '@app/core';

/** A request's message, tool or content block, read field by field (it may be anything a client sent). */
type Block = Record<string, unknown> | null | undefined;

/**
 * A local ESTIMATE of a Messages request's input tokens, for models whose provider has no counting
 * endpoint: the text of the system prompt, of every message block (text, thinking, tool inputs and
 * results) and of the tool definitions, tokenized with the model family's BPE (exact for OpenAI
 * models, within ~10–20 % for others), plus the chat format's per-message overhead. Images and
 * documents are not counted. Counting yields to the event loop between slices of a large body.
 */
export function estimateInputTokens(body: Record<string, unknown>, model: string): Promise<number> {
  const texts: string[] = [];
  collectText(body.system, texts);
  const messages = Array.isArray(body.messages) ? (body.messages as Block[]) : [];
  for (const message of messages) collectText(message?.content, texts);
  for (const tool of Array.isArray(body.tools) ? (body.tools as Block[]) : []) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an estimate: a malformed name or description is counted as String() prints it, as it always was
    texts.push(String(tool?.name ?? ''), String(tool?.description ?? ''));
    if (tool?.input_schema !== undefined) texts.push(JSON.stringify(tool.input_schema));
  }
  const systemMessages = body.system === undefined || body.system === null || body.system === '' ? 0 : 1;
  return estimateConversationTokens(texts, messages.length + systemMessages, model);
}

function collectText(content: unknown, texts: string[]): void {
  if (typeof content === 'string') {
    texts.push(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const block of content as Block[]) {
    if (typeof block?.text === 'string') texts.push(block.text);
    else if (typeof block?.thinking === 'string') texts.push(block.thinking);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an estimate: a malformed name is counted as String() prints it, as it always was
    else if (block?.type === 'tool_use') texts.push(String(block.name ?? ''), JSON.stringify(block.input ?? {}));
    else if (block?.type === 'tool_result') collectText(block.content, texts);
    else if (block?.type === 'document' && (block.source as Block)?.type === 'text') collectText((block.source as Block)?.data, texts);
  }
}
