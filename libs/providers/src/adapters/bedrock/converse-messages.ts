import { GatewayError } from '@app/core';

type Block = Record<string, unknown>;

export interface ConverseMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

export interface ConverseConversation {
  system: Block[];
  messages: ConverseMessage[];
  /** True when the history holds toolUse/toolResult blocks (Bedrock then requires a toolConfig). */
  hasToolBlocks: boolean;
}

const IMAGE_DATA_URL = /^data:image\/(png|jpeg|jpg|gif|webp);base64,(.+)$/s;

/**
 * Translates OpenAI chat `messages` to Converse `system` + `messages`. System and developer
 * messages become system blocks; tool messages become toolResult blocks in a user turn; turns of
 * the same role are merged, since Converse requires user and assistant turns to alternate.
 */
export function toConverseConversation(messages: unknown): ConverseConversation {
  if (!Array.isArray(messages) || messages.length === 0) throw GatewayError.invalidRequest("'messages' must be a non-empty array.", 'messages');
  const conversation: ConverseConversation = { system: [], messages: [], hasToolBlocks: false };
  messages.forEach((message, index) => addMessage(conversation, message, `messages[${index}]`));
  return conversation;
}

function addMessage(conversation: ConverseConversation, message: unknown, at: string): void {
  const record = (message ?? {}) as Record<string, unknown>;
  switch (record.role) {
    case 'system':
    case 'developer':
      conversation.system.push(...textBlocks(record.content, at));
      return;
    case 'user':
      return push(conversation, 'user', userBlocks(record.content, at));
    case 'assistant':
      return push(conversation, 'assistant', assistantBlocks(record, at));
    case 'tool':
      conversation.hasToolBlocks = true;
      return push(conversation, 'user', [toolResult(record, at)]);
    default:
      throw GatewayError.invalidRequest(`Role '${String(record.role)}' cannot be sent to Amazon Bedrock.`, `${at}.role`);
  }
}

function push(conversation: ConverseConversation, role: 'user' | 'assistant', content: Block[]): void {
  if (role === 'assistant' && content.some((block) => 'toolUse' in block)) conversation.hasToolBlocks = true;
  const last = conversation.messages.at(-1);
  if (last?.role === role) last.content.push(...content);
  else conversation.messages.push({ role, content });
}

/** Text of a string or of an array of text parts, one block per part; empty text is skipped. */
function textBlocks(content: unknown, at: string): Block[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw GatewayError.invalidRequest('Message content must be a string or an array of parts.', `${at}.content`);
  return content.flatMap((part, index) => {
    const type = part?.type;
    if ((type === 'text' || type === 'refusal') && typeof (part.text ?? part.refusal) === 'string') return [{ text: part.text ?? part.refusal }];
    throw GatewayError.invalidRequest(`Content part type '${String(type)}' cannot be sent to Amazon Bedrock here.`, `${at}.content[${index}].type`);
  });
}

function userBlocks(content: unknown, at: string): Block[] {
  if (!Array.isArray(content)) return textBlocks(content, at);
  return content.map((part, index) => {
    const where = `${at}.content[${index}]`;
    if (part?.type === 'text' && typeof part.text === 'string') return { text: part.text };
    if (part?.type === 'image_url') return imageBlock(part.image_url, `${where}.image_url`);
    throw GatewayError.invalidRequest(`Content part type '${String(part?.type)}' is not supported by Amazon Bedrock through the gateway.`, `${where}.type`);
  });
}

/** Converse takes image bytes only: base64 data URLs are decoded into `{image:{format, source:{bytes}}}`. */
function imageBlock(imageUrl: unknown, at: string): Block {
  const url = typeof imageUrl === 'string' ? imageUrl : (imageUrl as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string') throw GatewayError.invalidRequest('image_url.url is required.', at);
  const match = IMAGE_DATA_URL.exec(url);
  if (!match) {
    const reason = /^https?:/i.test(url)
      ? 'Amazon Bedrock does not fetch image URLs: send the image as a base64 data URL'
      : 'Image must be a base64 data URL of a png, jpeg, gif or webp image';
    throw GatewayError.invalidRequest(`${reason} (data:image/png;base64,…).`, at);
  }
  // The JSON wire form of a Converse blob is base64, so the data URL's payload goes as it is.
  return { image: { format: match[1] === 'jpg' ? 'jpeg' : match[1], source: { bytes: match[2] } } };
}

function assistantBlocks(message: Record<string, unknown>, at: string): Block[] {
  const blocks = textBlocks(message.content, at);
  const calls = message.tool_calls;
  if (calls === undefined || calls === null) return blocks;
  if (!Array.isArray(calls)) throw GatewayError.invalidRequest('tool_calls must be an array.', `${at}.tool_calls`);
  calls.forEach((call, index) => blocks.push({ toolUse: toolUse(call, `${at}.tool_calls[${index}]`) }));
  return blocks;
}

function toolUse(call: any, at: string): Block {
  const name = call?.function?.name;
  if (typeof call?.id !== 'string' || typeof name !== 'string') throw GatewayError.invalidRequest('A tool call needs an id and a function name.', at);
  const args = call.function.arguments;
  let input: unknown = {};
  if (typeof args === 'string' && args.trim() !== '') {
    try {
      input = JSON.parse(args);
    } catch {
      throw GatewayError.invalidRequest('Tool call arguments must be valid JSON for Amazon Bedrock.', `${at}.function.arguments`);
    }
  }
  return { toolUseId: call.id, name, input };
}

function toolResult(message: Record<string, unknown>, at: string): Block {
  if (typeof message.tool_call_id !== 'string') throw GatewayError.invalidRequest('A tool message needs tool_call_id.', `${at}.tool_call_id`);
  const content = textBlocks(message.content, at);
  return { toolResult: { toolUseId: message.tool_call_id, content: content.length > 0 ? content : [{ text: '' }] } };
}
