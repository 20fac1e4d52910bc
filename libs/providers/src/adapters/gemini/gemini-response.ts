import { generateId } from '@app/core';
import { type ChatToolCall, finishReasonFromGemini, isFunctionCallPart, toolCallFromPart, usageFromGemini } from './gemini-mapping';
import type { GeminiGenerateContentResponse } from './gemini-types';

/** A complete Gemini GenerateContentResponse → a canonical `chat.completion` object. */
export function chatCompletionFromGemini(response: GeminiGenerateContentResponse, model: string): Record<string, unknown> {
  const candidate = response.candidates?.[0];
  let text: string | null = null;
  let reasoning: string | null = null;
  const toolCalls: ChatToolCall[] = [];
  for (const part of candidate?.content?.parts ?? []) {
    if (isFunctionCallPart(part)) toolCalls.push(toolCallFromPart(part));
    else if (typeof part.text === 'string' && part.thought === true) reasoning = (reasoning ?? '') + part.text;
    else if (typeof part.text === 'string') text = (text ?? '') + part.text;
  }
  // A prompt blocked before generation comes back without candidates, only promptFeedback.
  const blocked = !candidate && response.promptFeedback?.blockReason !== undefined;
  const message: Record<string, unknown> = { role: 'assistant', content: text };
  if (reasoning !== null) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  message.refusal = null;
  return {
    id: generateId('chatcmpl-'),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: blocked ? 'content_filter' : finishReasonFromGemini(candidate?.finishReason, toolCalls.length > 0),
      },
    ],
    usage: usageFromGemini(response.usageMetadata),
  };
}
