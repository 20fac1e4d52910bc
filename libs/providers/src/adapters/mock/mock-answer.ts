import { createHash } from 'node:crypto';
import { countTextTokens, estimateConversationTokens } from '@app/core';
import { chooseTool, type MockToolCall } from './mock-tool-call';

/** One piece of the answer as a stream delivers it, with the tokens it costs (for pacing). */
export interface MockPiece {
  readonly text: string;
  readonly tokens: number;
}

/** The answer to one chat call, the same for the same request: ids, text or tool call, usage. */
export interface MockAnswer {
  readonly id: string;
  readonly model: string;
  readonly content?: string;
  readonly toolCall?: MockToolCall & { readonly id: string };
  /** The content (or the tool call's arguments) as the stream's deltas. */
  readonly pieces: readonly MockPiece[];
  readonly finishReason: 'stop' | 'length' | 'tool_calls';
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** A fixed `created`, so identical requests get byte-identical answers (snapshot-friendly). */
export const MOCK_CREATED = 1_735_689_600;

const NO_USER_TEXT = 'This is the Switchyard mock provider: there was no user message to echo.';
const ARGUMENT_PIECE_CHARS = 12;

type Message = { role?: unknown; content?: unknown; tool_calls?: unknown };

/**
 * Builds the answer: the last user message's text echoed (cut at max_tokens, then finish_reason
 * `length`), or with `tool` a call to the request's tool, or after a tool result a text reporting
 * it. Tokens are counted with the gateway's own counter (js-tiktoken cl100k for mock models).
 */
export async function mockAnswer(body: Record<string, unknown>, model: string, tool: boolean): Promise<MockAnswer> {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Message[];
  const texts = messages.flatMap(messageTexts);
  const promptTokens = await estimateConversationTokens(texts, messages.length, model);
  const digest = createHash('sha256')
    .update(JSON.stringify([model, body.messages ?? null, body.tools ?? null, body.tool_choice ?? null]))
    .digest('hex');
  const id = `chatcmpl-mock${digest.slice(0, 24)}`;
  const last = messages.at(-1);
  const call = tool && last?.role !== 'tool' ? chooseTool(body, lastUserText(messages) ?? '') : undefined;
  if (call) {
    const pieces = chunk(call.arguments, ARGUMENT_PIECE_CHARS).map((text) => ({ text, tokens: countTextTokens(text, model) }));
    const completionTokens = countTextTokens(call.name, model) + sum(pieces);
    return { id, model, toolCall: { ...call, id: `call_mock${digest.slice(24, 48)}` }, pieces, finishReason: 'tool_calls', promptTokens, completionTokens };
  }
  const text = tool && last?.role === 'tool' ? `The tool answered: ${contentText(last.content)}` : (lastUserText(messages) ?? NO_USER_TEXT);
  const { pieces, truncated } = limit(
    words(text).map((piece) => ({ text: piece, tokens: countTextTokens(piece, model) })),
    maxTokens(body),
  );
  const content = pieces.map((piece) => piece.text).join('');
  return { id, model, content, pieces, finishReason: truncated ? 'length' : 'stop', promptTokens, completionTokens: sum(pieces) };
}

function lastUserText(messages: readonly Message[]): string | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]?.role === 'user') return contentText(messages[index].content);
  }
  return undefined;
}

/** Text of a message's content: a string, or the text parts of an array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part) => typeof (part as { text?: unknown })?.text === 'string')
    .map((part) => (part as { text: string }).text)
    .join('\n');
}

function messageTexts(message: Message): string[] {
  const texts = [contentText(message?.content)];
  if (Array.isArray(message?.tool_calls)) texts.push(JSON.stringify(message.tool_calls));
  return texts.filter(Boolean);
}

function maxTokens(body: Record<string, unknown>): number | undefined {
  const value = body.max_completion_tokens ?? body.max_tokens;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Keeps whole pieces while they fit in `max` tokens. */
function limit(pieces: MockPiece[], max: number | undefined): { pieces: MockPiece[]; truncated: boolean } {
  if (max === undefined) return { pieces, truncated: false };
  let used = 0;
  for (let index = 0; index < pieces.length; index++) {
    used += pieces[index].tokens;
    if (used > max) return { pieces: pieces.slice(0, index), truncated: true };
  }
  return { pieces, truncated: false };
}

/** Words with the whitespace after them: joined back they are the text exactly. */
function words(text: string): string[] {
  return text.split(/(?<=\s)(?=\S)/).filter(Boolean);
}

function chunk(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

function sum(pieces: readonly MockPiece[]): number {
  return pieces.reduce((total, piece) => total + piece.tokens, 0);
}
