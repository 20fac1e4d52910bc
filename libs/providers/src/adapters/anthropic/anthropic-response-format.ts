import { GatewayError } from '@app/core';

export interface JsonResponseTool {
  readonly name: string;
  readonly description: string;
  readonly input_schema: Record<string, unknown>;
}

/**
 * `response_format` is translated faithfully, the way Anthropic documents JSON output through tools:
 * one tool whose input schema is the requested schema, forced with `tool_choice`, so the model's
 * answer is that tool's input, which the response translation turns back into the message text
 * (and `finish_reason: stop`). `json_object` is the same with a free-form object schema.
 * Forcing a tool is incompatible with the client's own tools (they could never be called) and
 * with extended thinking (Anthropic refuses forced tools then): both combinations get a 400.
 */
export function jsonResponseTool(format: unknown, hasTools: boolean, thinking: boolean): JsonResponseTool | undefined {
  if (format == null) return undefined;
  const record = format as { type?: unknown; json_schema?: { name?: unknown; description?: unknown; schema?: unknown } };
  if (record.type === 'text') return undefined;
  if (record.type !== 'json_object' && record.type !== 'json_schema') {
    throw GatewayError.invalidRequest("'response_format.type' must be text, json_object or json_schema.", 'response_format.type');
  }
  if (hasTools) throw GatewayError.invalidRequest("'response_format' cannot be combined with 'tools' for an Anthropic provider.", 'response_format');
  if (thinking) throw GatewayError.invalidRequest("'response_format' cannot be combined with 'reasoning_effort' for an Anthropic provider.", 'response_format');
  if (record.type === 'json_object') {
    return { name: 'json_object', description: 'Answer with a JSON object.', input_schema: { type: 'object' } };
  }
  return schemaTool(record.json_schema);
}

function schemaTool(spec: { name?: unknown; description?: unknown; schema?: unknown } | undefined): JsonResponseTool {
  if (typeof spec?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
    throw GatewayError.invalidRequest("'response_format.json_schema.name' must be 1-64 letters, digits, '_' or '-'.", 'response_format.json_schema.name');
  }
  const schema = spec.schema as Record<string, unknown> | undefined;
  // A tool's input is always a JSON object, so only object schemas can be expressed this way.
  if (!schema || typeof schema !== 'object' || schema.type !== 'object') {
    throw GatewayError.invalidRequest("'response_format.json_schema.schema' must describe an object for an Anthropic provider.", 'response_format.json_schema.schema');
  }
  const description = typeof spec.description === 'string' && spec.description !== '' ? spec.description : 'Answer with JSON matching this schema.';
  return { name: spec.name, description, input_schema: schema };
}
