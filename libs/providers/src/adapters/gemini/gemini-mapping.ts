import { generateId, tokenCount } from '@app/core';
import type { GeminiPart, GeminiUsageMetadata } from './gemini-types';

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Gemini finish reasons that mean the answer was withheld or cut by a content policy. */
const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);

/**
 * Gemini `finishReason` → OpenAI `finish_reason`. Gemini says STOP after function calls too, so
 * `hasToolCalls` turns it into `tool_calls` as OpenAI clients expect. Reasons without an OpenAI
 * counterpart (OTHER, LANGUAGE, MALFORMED_FUNCTION_CALL …) end the answer: `stop`.
 */
export function finishReasonFromGemini(reason: string | undefined, hasToolCalls: boolean): ChatFinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason !== undefined && FILTERED.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** Gemini `usageMetadata` → OpenAI `usage`; thoughts are billed as output, so they count as completion tokens. */
export function usageFromGemini(usage: GeminiUsageMetadata | undefined): ChatUsage {
  const prompt = tokenCount(usage?.promptTokenCount);
  const thoughts = tokenCount(usage?.thoughtsTokenCount);
  const completion = tokenCount(usage?.candidatesTokenCount) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: tokenCount(usage?.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  /** Gemini's thought signature, returned the way Google's own OpenAI compatibility layer does. */
  extra_content?: { google: { thought_signature: string } };
}

/** A functionCall part → an OpenAI tool call; Gemini's own call id is kept when it gives one. */
export function toolCallFromPart(part: GeminiPart & { functionCall: NonNullable<GeminiPart['functionCall']> }): ChatToolCall {
  const call: ChatToolCall = {
    id: part.functionCall.id || generateId('call_'),
    type: 'function',
    function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
  };
  if (part.thoughtSignature) call.extra_content = { google: { thought_signature: part.thoughtSignature } };
  return call;
}

export function isFunctionCallPart(part: GeminiPart): part is GeminiPart & { functionCall: NonNullable<GeminiPart['functionCall']> } {
  return typeof part.functionCall?.name === 'string';
}
