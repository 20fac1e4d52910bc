import { GatewayError } from '@app/core';

/** The function the mock calls, with arguments derived from its JSON schema. */
export interface MockToolCall {
  readonly name: string;
  readonly arguments: string;
}

type Schema = Record<string, unknown>;

const MAX_DEPTH = 6;

/**
 * Picks the tool to call: the one `tool_choice` names, else the first function tool. Undefined
 * when `tool_choice` is `none` (the mock then answers with text, as a real model must).
 */
export function chooseTool(body: Record<string, unknown>, hint: string): MockToolCall | undefined {
  const choice = body.tool_choice as { type?: unknown; function?: { name?: unknown } } | string | undefined;
  if (choice === 'none') return undefined;
  const tools = (Array.isArray(body.tools) ? body.tools : []).filter(isFunctionTool);
  if (tools.length === 0) throw GatewayError.invalidRequest("The mock's tool behaviour calls the request's first function tool, but 'tools' has none.", 'tools');
  const named = typeof choice === 'object' && choice !== null && typeof choice.function?.name === 'string' ? choice.function.name : undefined;
  const tool = (named && tools.find((candidate) => candidate.function.name === named)) || tools[0];
  return { name: tool.function.name, arguments: JSON.stringify(sampleValue(tool.function.parameters, hint, 0) ?? {}) };
}

function isFunctionTool(tool: unknown): tool is { function: { name: string; parameters?: unknown } } {
  const record = tool as { type?: unknown; function?: { name?: unknown } } | null;
  return record?.type === 'function' && typeof record.function?.name === 'string';
}

/**
 * A deterministic value that satisfies the common parts of a JSON schema: enum/const/default
 * first, strings get the user's text (so a test sees its input come back), numbers their minimum
 * or 1, booleans true, arrays one item, objects every property.
 */
function sampleValue(schema: unknown, hint: string, depth: number): unknown {
  if (!schema || typeof schema !== 'object' || depth > MAX_DEPTH) return hint;
  const node = schema as Schema;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  if ('const' in node) return node.const;
  if ('default' in node) return node.default;
  const variants = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) return sampleValue(variants.find((variant) => (variant as Schema)?.type !== 'null') ?? variants[0], hint, depth + 1);
  const type = Array.isArray(node.type) ? node.type.find((candidate) => candidate !== 'null') : node.type;
  switch (type) {
    case 'integer':
      return typeof node.minimum === 'number' ? Math.ceil(node.minimum) : 1;
    case 'number':
      return typeof node.minimum === 'number' ? node.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return node.items ? [sampleValue(node.items, hint, depth + 1)] : [];
    case 'string':
      return hint;
    default:
      return node.properties || type === 'object' ? sampleObject(node, hint, depth) : hint;
  }
}

function sampleObject(node: Schema, hint: string, depth: number): Record<string, unknown> {
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties)) out[key] = sampleValue(property, hint, depth + 1);
  return out;
}
