import { GatewayError } from '@app/core';
import { messagesToGemini } from './gemini-contents';
import { generationConfigFor } from './gemini-generation-config';
import { toolChoiceToGemini, toolsToGemini } from './gemini-tools';
import type { GeminiGenerateContentRequest } from './gemini-types';

/**
 * Canonical chat request (OpenAI Chat Completions body) → Gemini GenerateContentRequest. Fields
 * that only steer the gateway or OpenAI's platform (`stream_options`, `user`, `metadata`, `store`,
 * `service_tier` …) have no Gemini meaning and are not sent; `parallel_tool_calls` is a hint Gemini
 * cannot honour either way, so it is ignored rather than rejected. Anything that would change the
 * answer but cannot be translated is a 400 naming the field.
 */
export function toGeminiRequest(body: Record<string, unknown>): GeminiGenerateContentRequest {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw GatewayError.invalidRequest("'messages' must be a non-empty array.", 'messages');
  const { systemInstruction, contents } = messagesToGemini(messages);
  if (contents.length === 0) {
    throw GatewayError.invalidRequest('Gemini needs at least one user, assistant or tool message besides system instructions.', 'messages');
  }
  const request: GeminiGenerateContentRequest = { contents };
  if (systemInstruction) request.systemInstruction = systemInstruction;
  const tools = toolsToGemini(body.tools);
  if (tools) request.tools = tools;
  const toolConfig = toolChoiceToGemini(body.tool_choice);
  if (toolConfig) request.toolConfig = toolConfig;
  const generationConfig = generationConfigFor(body);
  if (generationConfig) request.generationConfig = generationConfig;
  return request;
}

/** `gemini-2.5-flash` → `models/gemini-2.5-flash`; `tunedModels/x` stays as it is. */
export function modelResource(model: unknown): string {
  if (typeof model !== 'string' || model === '') throw GatewayError.invalidRequest("'model' is required.", 'model');
  const name = model.includes('/') ? model : `models/${model}`;
  return name.split('/').map(encodeURIComponent).join('/');
}
