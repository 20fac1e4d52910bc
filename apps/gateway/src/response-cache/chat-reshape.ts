import { sseEvents } from './cache-entry';

/**
 * Chat completions are the one dialect whose stream and whole answer carry the same content in an
 * easily mapped form, so a stored stream can answer a non-streamed request and the other way
 * round. Both directions are lossless for content, tool calls, finish reason and usage; logprobs
 * are carried over as they come.
 */

/** A stored chat stream (SSE text) as the `chat.completion` it streamed; undefined when it holds no chunk. */
export function chunksToCompletion(sse: string): string | undefined {
  let completion: any;
  const choices: any[] = [];
  for (const event of sseEvents(sse)) {
    const data = dataOf(event);
    if (data === undefined || data === '[DONE]') continue;
    const chunk = JSON.parse(data);
    completion ??= { id: chunk.id, object: 'chat.completion', created: chunk.created, model: chunk.model, choices };
    if (chunk.system_fingerprint !== undefined) completion.system_fingerprint = chunk.system_fingerprint;
    if (chunk.service_tier !== undefined) completion.service_tier = chunk.service_tier;
    if (chunk.usage) completion.usage = chunk.usage;
    for (const delta of chunk.choices ?? []) mergeChoice(choices, delta);
  }
  if (!completion) return undefined;
  for (const choice of choices) if (choice.message.tool_calls?.length === 0) delete choice.message.tool_calls;
  return JSON.stringify(completion);
}

function mergeChoice(choices: any[], piece: any): void {
  const index = piece.index ?? 0;
  const choice = (choices[index] ??= { index, message: { role: 'assistant', content: null }, logprobs: null, finish_reason: null });
  const delta = piece.delta ?? {};
  if (delta.role) choice.message.role = delta.role;
  if (typeof delta.content === 'string') choice.message.content = (choice.message.content ?? '') + delta.content;
  if (typeof delta.refusal === 'string') choice.message.refusal = (choice.message.refusal ?? '') + delta.refusal;
  for (const call of delta.tool_calls ?? []) mergeToolCall((choice.message.tool_calls ??= []), call);
  if (piece.logprobs) choice.logprobs = { content: [...(choice.logprobs?.content ?? []), ...(piece.logprobs.content ?? [])] };
  if (piece.finish_reason) choice.finish_reason = piece.finish_reason;
}

function mergeToolCall(calls: any[], piece: any): void {
  const index = piece.index ?? calls.length;
  const call = (calls[index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
  if (piece.id) call.id = piece.id;
  if (piece.type) call.type = piece.type;
  if (piece.function?.name) call.function.name += piece.function.name;
  if (piece.function?.arguments) call.function.arguments += piece.function.arguments;
}

/**
 * A stored `chat.completion` as the chunk stream it would have been: per choice one chunk with the
 * role and content (and whole tool calls), one with the finish reason, then the usage chunk when
 * the client asked for usage, then `[DONE]`.
 */
export function completionToChunks(json: string, includeUsage: boolean): string {
  const completion = JSON.parse(json);
  const head = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model, system_fingerprint: completion.system_fingerprint };
  const extra = includeUsage ? { usage: null } : {};
  const events: string[] = [];
  const push = (chunk: object) => events.push(`data: ${JSON.stringify(chunk)}\n\n`);
  for (const choice of completion.choices ?? []) {
    const message = choice.message ?? {};
    const delta: any = { role: message.role ?? 'assistant', content: message.content ?? null };
    if (message.refusal) delta.refusal = message.refusal;
    if (Array.isArray(message.tool_calls)) delta.tool_calls = message.tool_calls.map((call: any, index: number) => ({ index, ...call }));
    push({ ...head, choices: [{ index: choice.index ?? 0, delta, logprobs: choice.logprobs ?? null, finish_reason: null }], ...extra });
    push({ ...head, choices: [{ index: choice.index ?? 0, delta: {}, logprobs: null, finish_reason: choice.finish_reason ?? 'stop' }], ...extra });
  }
  if (includeUsage && completion.usage) push({ ...head, choices: [], usage: completion.usage });
  events.push('data: [DONE]\n\n');
  return events.join('');
}

/** The `data:` payload of one SSE event (multi-line data joined), or undefined when it has none. */
function dataOf(event: string): string | undefined {
  const lines = event.split(/\r?\n/).filter((line) => line.startsWith('data:'));
  if (lines.length === 0) return undefined;
  return lines.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
}

/** Whether a relayed answer ended as a whole one: the dialect's terminal event was seen. */
export function streamCompleted(shape: string, sse: string): boolean {
  if (shape === 'chat') return /"finish_reason"\s*:\s*"/.test(sse);
  if (shape === 'messages') return /event:\s*message_stop/.test(sse);
  if (shape === 'responses') return /"type"\s*:\s*"response\.completed"/.test(sse);
  return false;
}
