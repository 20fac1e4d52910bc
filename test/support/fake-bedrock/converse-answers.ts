import { type BedrockBehaviour, DEFAULT_TEXT, TOOL_INPUT } from './bedrock-behaviour';
import { eventFrame } from './event-stream-encoder';

const TOOL_USE_ID = 'tooluse_fake0001';

/** Deterministic stand-in for a tokenizer, so tests can predict usage. */
function inputTokens(body: any): number {
  return Math.max(1, Math.ceil(JSON.stringify(body.messages ?? []).length / 10));
}

function toolName(body: any): string {
  return body.toolConfig?.tools?.[0]?.toolSpec?.name ?? 'get_weather';
}

function usage(body: any, behaviour: BedrockBehaviour, output: string) {
  const input = inputTokens(body);
  const outputTokens = Math.ceil(output.length / 4);
  const cacheRead = behaviour.kind === 'text' ? (behaviour.cacheReadInputTokens ?? 0) : 0;
  return { inputTokens: input, outputTokens, totalTokens: input + outputTokens + cacheRead, ...(cacheRead ? { cacheReadInputTokens: cacheRead } : {}) };
}

/** The Converse JSON response. */
export function converseBody(body: any, behaviour: BedrockBehaviour): object {
  if (behaviour.kind === 'tool') {
    const content = [{ text: 'Checking.' }, { toolUse: { toolUseId: TOOL_USE_ID, name: toolName(body), input: TOOL_INPUT } }];
    return { output: { message: { role: 'assistant', content } }, stopReason: 'tool_use', usage: usage(body, behaviour, JSON.stringify(TOOL_INPUT)), metrics: { latencyMs: 12 } };
  }
  const text = behaviour.kind === 'text' ? (behaviour.text ?? DEFAULT_TEXT) : DEFAULT_TEXT;
  const content: object[] = [];
  if (behaviour.kind === 'text' && behaviour.reasoning) content.push({ reasoningContent: { reasoningText: { text: behaviour.reasoning, signature: 'sig' } } });
  content.push({ text });
  const stopReason = behaviour.kind === 'text' ? (behaviour.stopReason ?? 'end_turn') : 'end_turn';
  return { output: { message: { role: 'assistant', content } }, stopReason, usage: usage(body, behaviour, text), metrics: { latencyMs: 12 } };
}

/** ConverseStream frames in the documented order: messageStart, content blocks, messageStop, metadata. */
export function streamFrames(body: any, behaviour: BedrockBehaviour): Uint8Array[] {
  const frames = [eventFrame('messageStart', { role: 'assistant' })];
  if (behaviour.kind === 'tool') {
    const args = JSON.stringify(TOOL_INPUT);
    frames.push(
      eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Checking.' } }),
      eventFrame('contentBlockStop', { contentBlockIndex: 0 }),
      eventFrame('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: TOOL_USE_ID, name: toolName(body) } } }),
      eventFrame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: args.slice(0, 6) } } }),
      eventFrame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: args.slice(6) } } }),
      eventFrame('contentBlockStop', { contentBlockIndex: 1 }),
      eventFrame('messageStop', { stopReason: 'tool_use' }),
      eventFrame('metadata', { usage: usage(body, behaviour, args), metrics: { latencyMs: 20 } }),
    );
    return frames;
  }
  const text = behaviour.kind === 'text' ? (behaviour.text ?? DEFAULT_TEXT) : DEFAULT_TEXT;
  if (behaviour.kind === 'text' && behaviour.reasoning)
    frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: behaviour.reasoning } } }));
  const block = behaviour.kind === 'text' && behaviour.reasoning ? 1 : 0;
  for (const piece of text.match(/\s*\S+/g) ?? []) frames.push(eventFrame('contentBlockDelta', { contentBlockIndex: block, delta: { text: piece } }));
  const stopReason = behaviour.kind === 'text' ? (behaviour.stopReason ?? 'end_turn') : 'end_turn';
  frames.push(
    eventFrame('contentBlockStop', { contentBlockIndex: block }),
    eventFrame('messageStop', { stopReason }),
    eventFrame('metadata', { usage: usage(body, behaviour, text), metrics: { latencyMs: 20 } }),
  );
  return frames;
}
