import { GatewayError } from '@app/core';
import { contentPartToGemini } from './gemini-media';
import type { GeminiContent, GeminiPart } from './gemini-types';

type Message = Record<string, any>;

export interface GeminiConversation {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

/**
 * Translates OpenAI `messages` to Gemini `systemInstruction` + `contents`. System and developer
 * messages all go to the one `systemInstruction` Gemini has; consecutive turns of the same role
 * are merged, since Gemini expects user and model turns to alternate.
 */
export function messagesToGemini(messages: unknown[]): GeminiConversation {
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  messages.forEach((raw, index) => {
    const message = (raw ?? {}) as Message;
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textParts(message.content, `${param}.content`));
        return;
      case 'user':
        return append(contents, 'user', userParts(message.content, `${param}.content`));
      case 'assistant':
        return append(contents, 'model', assistantParts(message, param));
      case 'tool':
        return append(contents, 'user', [toolResponsePart(messages, index, message)]);
      case 'function':
        return append(contents, 'user', [functionResponse(String(message.name ?? ''), message.content, param)]);
      default:
        throw GatewayError.invalidRequest(`Message role '${String(message.role)}' cannot be sent to Gemini.`, `${param}.role`);
    }
  });
  return system.length > 0 ? { systemInstruction: { parts: system }, contents } : { contents };
}

function append(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents.at(-1);
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

/** Text-only content (system, developer, assistant, tool): a string or an array of text parts. */
function textParts(content: unknown, param: string): GeminiPart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw GatewayError.invalidRequest(`'${param}' must be a string or an array of content parts.`, param);
  return content.map((part, index) => {
    const record = (part ?? {}) as Record<string, unknown>;
    if ((record.type === 'text' || record.type === 'refusal') && typeof (record.text ?? record.refusal) === 'string') {
      return { text: (record.text ?? record.refusal) as string };
    }
    throw GatewayError.invalidRequest(`Only text parts are allowed in '${param}' for Gemini.`, `${param}[${index}]`);
  });
}

function userParts(content: unknown, param: string): GeminiPart[] {
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw GatewayError.invalidRequest(`'${param}' must be a string or an array of content parts.`, param);
  return content.map((part, index) => contentPartToGemini(part, `${param}[${index}]`));
}

function assistantParts(message: Message, param: string): GeminiPart[] {
  const parts = textParts(message.content, `${param}.content`);
  const calls = message.tool_calls;
  if (calls === undefined || calls === null) return parts;
  if (!Array.isArray(calls)) throw GatewayError.invalidRequest(`'${param}.tool_calls' must be an array.`, `${param}.tool_calls`);
  calls.forEach((call, index) => parts.push(functionCallPart(call, `${param}.tool_calls[${index}]`)));
  return parts;
}

function functionCallPart(call: Message, param: string): GeminiPart {
  const name = call?.function?.name;
  if (typeof name !== 'string' || name === '') throw GatewayError.invalidRequest(`'${param}.function.name' is required.`, `${param}.function.name`);
  const args = parseObject(call.function.arguments, `${param}.function.arguments`);
  const part: GeminiPart = { functionCall: { name, args } };
  // Gemini 2.5+/3 ask for their thought signature back on the call; it travels in `extra_content`.
  const signature = call.extra_content?.google?.thought_signature;
  if (typeof signature === 'string') part.thoughtSignature = signature;
  return part;
}

function parseObject(raw: unknown, param: string): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw GatewayError.invalidRequest(`'${param}' must be a JSON object.`, param);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw GatewayError.invalidRequest(`'${param}' must be a JSON object.`, param);
  return parsed as Record<string, unknown>;
}

/**
 * Gemini's functionResponse needs the function NAME, which an OpenAI tool message does not carry:
 * it is recovered from the closest earlier assistant tool_call with the same id.
 */
function toolResponsePart(messages: unknown[], index: number, message: Message): GeminiPart {
  const param = `messages[${index}]`;
  const id = message.tool_call_id;
  if (typeof id !== 'string' || id === '') throw GatewayError.invalidRequest(`'${param}.tool_call_id' is required.`, `${param}.tool_call_id`);
  for (let earlier = index - 1; earlier >= 0; earlier--) {
    const candidate = messages[earlier] as Message | undefined;
    if (candidate?.role !== 'assistant' || !Array.isArray(candidate.tool_calls)) continue;
    const call = candidate.tool_calls.find((toolCall: Message) => toolCall?.id === id);
    if (typeof call?.function?.name === 'string') return functionResponse(call.function.name, message.content, param);
  }
  throw GatewayError.invalidRequest(
    `Tool message ${param} answers tool_call_id '${id}', but no earlier assistant message has a tool call with that id; Gemini needs the function name.`,
    'messages',
  );
}

/** The response must be a JSON object for Gemini; anything else is wrapped as `{output: …}`. */
function functionResponse(name: string, content: unknown, param: string): GeminiPart {
  if (name === '') throw GatewayError.invalidRequest(`'${param}.name' is required.`, `${param}.name`);
  const text = textParts(content, `${param}.content`)
    .map((part) => part.text)
    .join('');
  let response: Record<string, unknown> = { output: text };
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) response = parsed as Record<string, unknown>;
  } catch {
    // Plain-text tool output: keep the `output` wrapper.
  }
  return { functionResponse: { name, response } };
}
