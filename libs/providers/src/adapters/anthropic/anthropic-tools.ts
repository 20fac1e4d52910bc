import { GatewayError } from '@app/core';
import type { AnthropicBlock } from './anthropic-types';

/** OpenAI function tools → Anthropic client tools `{name, description, input_schema}`. */
export function toAnthropicTools(tools: unknown): AnthropicBlock[] {
  if (!Array.isArray(tools)) throw GatewayError.invalidRequest("'tools' must be an array.", 'tools');
  return tools.map((tool, index) => {
    const fn = tool?.function;
    if (tool?.type !== 'function' || typeof fn?.name !== 'string') {
      throw GatewayError.invalidRequest(`'tools[${index}]' must be a function tool with a name; Anthropic providers take no other kind.`, `tools[${index}]`);
    }
    // Anthropic requires an object schema; a function without parameters takes none.
    const out: AnthropicBlock = { name: fn.name, input_schema: fn.parameters ?? { type: 'object', properties: {} } } as unknown as AnthropicBlock;
    if (typeof fn.description === 'string' && fn.description !== '') out.description = fn.description;
    return out;
  });
}

/**
 * `tool_choice` and `parallel_tool_calls` → Anthropic's `tool_choice`: auto, none, required → any,
 * a named function → tool. Parallel calls are on by default on both sides; `false` becomes
 * `disable_parallel_tool_use`, which Anthropic does not accept together with `none`.
 */
export function toAnthropicToolChoice(choice: unknown, parallel: unknown): Record<string, unknown> | undefined {
  const out = choiceType(choice);
  if (parallel === false && out?.type !== 'none') return { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out;
}

function choiceType(choice: unknown): Record<string, unknown> | undefined {
  if (choice == null) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  const named = choice as { type?: unknown; function?: { name?: unknown } };
  if (named && typeof named === 'object' && named.type === 'function' && typeof named.function?.name === 'string') {
    return { type: 'tool', name: named.function.name };
  }
  throw GatewayError.invalidRequest("'tool_choice' must be auto, none, required or a named function.", 'tool_choice');
}
