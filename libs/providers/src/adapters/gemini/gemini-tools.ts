import { GatewayError } from '@app/core';
import { toGeminiSchema } from './gemini-schema';
import type { GeminiFunctionDeclaration, GeminiToolConfig } from './gemini-types';

/** OpenAI `tools` → one Gemini tool holding every function declaration. */
export function toolsToGemini(tools: unknown): Array<{ functionDeclarations: GeminiFunctionDeclaration[] }> | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw GatewayError.invalidRequest("'tools' must be an array.", 'tools');
  if (tools.length === 0) return undefined;
  return [{ functionDeclarations: tools.map((tool, index) => declaration(tool, `tools[${index}]`)) }];
}

function declaration(tool: any, param: string): GeminiFunctionDeclaration {
  if (tool?.type !== 'function') throw GatewayError.invalidRequest(`Tool type '${String(tool?.type)}' cannot be sent to Gemini; only 'function' tools can.`, `${param}.type`);
  const fn = tool.function ?? {};
  if (typeof fn.name !== 'string' || fn.name === '') throw GatewayError.invalidRequest(`'${param}.function.name' is required.`, `${param}.function.name`);
  const result: GeminiFunctionDeclaration = { name: fn.name };
  if (typeof fn.description === 'string') result.description = fn.description;
  // Gemini rejects an OBJECT schema without properties: a function without arguments declares none.
  const parameters = fn.parameters;
  const hasProperties = parameters?.properties && typeof parameters.properties === 'object' && Object.keys(parameters.properties).length > 0;
  if (hasProperties || parameters?.$ref || parameters?.anyOf || parameters?.oneOf) {
    result.parameters = toGeminiSchema(parameters, `${param}.function.parameters`);
  }
  return result;
}

/** OpenAI `tool_choice` → Gemini `toolConfig.functionCallingConfig`. */
export function toolChoiceToGemini(choice: unknown): GeminiToolConfig | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  const record = choice as Record<string, any>;
  if (record?.type === 'function' && typeof record.function?.name === 'string') {
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [record.function.name] } };
  }
  // Gemini can restrict the callable functions only while forcing a call (mode ANY).
  if (record?.type === 'allowed_tools' && record.allowed_tools?.mode === 'required' && Array.isArray(record.allowed_tools.tools)) {
    const names = record.allowed_tools.tools.map((tool: any) => tool?.function?.name).filter((name: unknown) => typeof name === 'string');
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: names } };
  }
  throw GatewayError.invalidRequest("This 'tool_choice' cannot be expressed for Gemini; use 'auto', 'none', 'required' or one named function.", 'tool_choice');
}
