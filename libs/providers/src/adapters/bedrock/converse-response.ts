import { generateId } from '@app/core';

/** OpenAI finish_reason for each Converse stopReason; anything newer reads as a normal stop. */
const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};

export function finishReason(stopReason: unknown): string {
  return (typeof stopReason === 'string' && FINISH_REASONS[stopReason]) || 'stop';
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0);

/**
 * Converse `usage` → OpenAI `usage`. Converse counts cache reads and writes apart from
 * `inputTokens`; OpenAI's prompt_tokens includes cached tokens, so they are added back in.
 */
export function openAIUsage(usage: unknown): Record<string, unknown> {
  const raw = (usage ?? {}) as Record<string, unknown>;
  const cacheRead = count(raw.cacheReadInputTokens);
  const cacheWrite = count(raw.cacheWriteInputTokens);
  const prompt = count(raw.inputTokens) + cacheRead + cacheWrite;
  const completion = count(raw.outputTokens);
  const canonical: Record<string, unknown> = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
  // Cache writes are billed at their own rate; OpenAI has no field for them, so LiteLLM's name.
  if (cacheWrite > 0) canonical.cache_creation_input_tokens = cacheWrite;
  return canonical;
}

/** Translates a Converse response body to a canonical `chat.completion` object. */
export function toChatCompletion(converse: Record<string, any>, model: string): Record<string, unknown> {
  const blocks: any[] = Array.isArray(converse.output?.message?.content) ? converse.output.message.content : [];
  let text = '';
  let reasoning = '';
  const toolCalls: unknown[] = [];
  for (const block of blocks) {
    if (typeof block?.text === 'string') text += block.text;
    else if (block?.toolUse)
      toolCalls.push({ id: block.toolUse.toolUseId, type: 'function', function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) } });
    else if (typeof block?.reasoningContent?.reasoningText?.text === 'string') reasoning += block.reasoningContent.reasoningText.text;
  }
  const message: Record<string, unknown> = { role: 'assistant', content: text || (toolCalls.length > 0 ? null : '') };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning) message.reasoning_content = reasoning;
  return {
    id: generateId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(converse.stopReason) }],
    usage: openAIUsage(converse.usage),
  };
}
