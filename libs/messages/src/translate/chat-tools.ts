import { GatewayError } from '@app/core';
import { untranslatable } from './chat-messages';

type Block = Record<string, any>;

/**
 * Fields of a client tool definition (Anthropic's reference): translated ones, hints that are
 * dropped because the answer is the same without them (`cache_control` steers Anthropic's prompt
 * cache; `eager_input_streaming` asks for tool input to stream unbuffered, which a chat upstream
 * does anyway and which @ai-sdk/anthropic sets on every streamed tool), and the rest
 * (`defer_loading`, `allowed_callers`, `input_examples` …) refused by name: they need Anthropic's
 * tool search, programmatic calling or example handling. The README's table lists them.
 */
const TOOL_FIELDS = new Set(['name', 'description', 'input_schema', 'type', 'strict']);
const DROPPED_TOOL_FIELDS = new Set(['cache_control', 'eager_input_streaming']);

/**
 * Client tools → function tools. Server tools (web_search, code_execution, bash, text_editor,
 * computer …, recognisable by a versioned `type`) run inside Anthropic's platform and cannot be
 * emulated on another provider, so they are refused by name.
 */
export function chatTools(tools: unknown): Block[] {
  if (!Array.isArray(tools)) throw GatewayError.invalidRequest('tools: Input should be a valid list', 'tools');
  return tools.map((tool: Block, index) => {
    const path = `tools[${index}]`;
    if (tool?.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      throw untranslatable(`Server tool '${String(tool.type)}'${typeof tool.name === 'string' ? ` ('${tool.name}')` : ''}`, `${path}.type`);
    }
    if (typeof tool?.name !== 'string' || tool.name === '') throw GatewayError.invalidRequest(`${path}.name: Field required`, `${path}.name`);
    for (const field of Object.keys(tool)) {
      if (!TOOL_FIELDS.has(field) && !DROPPED_TOOL_FIELDS.has(field) && tool[field] !== undefined) throw untranslatable(`The tool field '${field}'`, `${path}.${field}`);
    }
    const fn: Block = { name: tool.name, parameters: tool.input_schema ?? { type: 'object', properties: {} } };
    if (typeof tool.description === 'string' && tool.description !== '') fn.description = tool.description;
    if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
    return { type: 'function', function: fn };
  });
}

/** `tool_choice` → Chat Completions' tool_choice and parallel_tool_calls. */
export function chatToolChoice(choice: unknown, hasTools: boolean): Block {
  if (choice === undefined || choice === null) return {};
  const record = choice as Block;
  const out: Block = {};
  switch (record?.type) {
    case 'auto':
      out.tool_choice = 'auto';
      break;
    case 'any':
      out.tool_choice = 'required';
      break;
    case 'none':
      return { tool_choice: 'none' };
    case 'tool':
      if (typeof record.name !== 'string') throw GatewayError.invalidRequest('tool_choice.name: Field required', 'tool_choice.name');
      out.tool_choice = { type: 'function', function: { name: record.name } };
      break;
    default:
      throw GatewayError.invalidRequest("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'", 'tool_choice.type');
  }
  if (!hasTools) throw GatewayError.invalidRequest('tool_choice: tools must be provided when tool_choice is set', 'tool_choice');
  if (record.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  return out;
}

/** Budgets at Anthropic's usual steps (1k, 8k, 24k), split at the midpoints. */
function effortForBudget(budget: unknown): string {
  if (typeof budget !== 'number' || !Number.isFinite(budget)) throw GatewayError.invalidRequest('thinking.budget_tokens: Field required', 'thinking.budget_tokens');
  if (budget < 4_096) return 'low';
  return budget < 16_384 ? 'medium' : 'high';
}

const EFFORTS: Readonly<Record<string, string>> = { low: 'low', medium: 'medium', high: 'high', xhigh: 'high', max: 'high' };

/**
 * `thinking` (and `output_config.effort`) → `reasoning_effort`. Adaptive thinking leaves the amount
 * to the model, which is what omitting reasoning_effort means, unless an effort is given.
 */
export function reasoningEffort(thinking: unknown, effort: unknown): string | undefined {
  let fromEffort: string | undefined;
  if (effort !== undefined && effort !== null) {
    fromEffort = typeof effort === 'string' ? EFFORTS[effort] : undefined;
    if (!fromEffort) throw GatewayError.invalidRequest("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'", 'output_config.effort');
  }
  if (thinking === undefined || thinking === null) return fromEffort;
  const type = (thinking as Block).type;
  if (type === 'disabled') return undefined;
  if (type === 'adaptive') return fromEffort;
  if (type === 'enabled') return fromEffort ?? effortForBudget((thinking as Block).budget_tokens);
  throw GatewayError.invalidRequest("thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'", 'thinking.type');
}
