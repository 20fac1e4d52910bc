import { GatewayError } from '@app/core';
import { toConverseConversation } from './converse-messages';

type Body = Record<string, unknown>;

/**
 * Fields with no Converse equivalent. Sending them would change what the client gets back, so a
 * non-default value is refused by name rather than dropped.
 */
const UNTRANSLATABLE: ReadonlyArray<[field: string, isDefault: (value: unknown) => boolean]> = [
  ['n', (value) => value === 1],
  ['logprobs', (value) => value === false],
  ['top_logprobs', (value) => value === 0],
  ['presence_penalty', (value) => value === 0],
  ['frequency_penalty', (value) => value === 0],
  ['logit_bias', (value) => typeof value === 'object' && value !== null && Object.keys(value).length === 0],
  ['response_format', (value) => (value as { type?: unknown } | null)?.type === 'text'],
  ['audio', () => false],
  ['modalities', (value) => Array.isArray(value) && value.every((item) => item === 'text')],
  ['reasoning_effort', () => false],
  ['prediction', () => false],
];

/** Translates a canonical chat body to a Converse / ConverseStream request body. */
export function toConverseRequest(body: Body): Body {
  for (const [field, isDefault] of UNTRANSLATABLE) {
    const value = body[field];
    if (value !== undefined && value !== null && !isDefault(value)) {
      throw GatewayError.invalidRequest(`'${field}' is not supported by Amazon Bedrock's Converse API.`, field);
    }
  }
  const conversation = toConverseConversation(body.messages);
  const request: Body = { messages: conversation.messages };
  if (conversation.system.length > 0) request.system = conversation.system;
  const inference = inferenceConfig(body);
  if (inference) request.inferenceConfig = inference;
  const tools = toolConfig(body, conversation.hasToolBlocks);
  if (tools) request.toolConfig = tools;
  return request;
}

function inferenceConfig(body: Body): Body | undefined {
  const config: Body = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) config.maxTokens = maxTokens;
  if (body.temperature !== undefined && body.temperature !== null) config.temperature = body.temperature;
  if (body.top_p !== undefined && body.top_p !== null) config.topP = body.top_p;
  const stop = body.stop;
  if (typeof stop === 'string') config.stopSequences = [stop];
  else if (Array.isArray(stop) && stop.length > 0) config.stopSequences = stop;
  return Object.keys(config).length > 0 ? config : undefined;
}

function toolConfig(body: Body, hasToolBlocks: boolean): Body | undefined {
  const tools = body.tools;
  if (tools === undefined || tools === null || (Array.isArray(tools) && tools.length === 0)) return undefined;
  if (!Array.isArray(tools)) throw GatewayError.invalidRequest("'tools' must be an array.", 'tools');
  const choice = body.tool_choice;
  if (choice === 'none') {
    // Converse has no "none": leaving the tools out has the same effect, unless the history
    // already holds tool blocks, which Converse only accepts alongside a toolConfig.
    if (!hasToolBlocks) return undefined;
    throw GatewayError.invalidRequest("tool_choice 'none' cannot be honoured by Amazon Bedrock once the conversation contains tool calls.", 'tool_choice');
  }
  const config: Body = { tools: tools.map(toolSpec) };
  const toolChoice = converseToolChoice(choice);
  if (toolChoice) config.toolChoice = toolChoice;
  return config;
}

function toolSpec(tool: any, index: number): Body {
  if (tool?.type !== 'function' || typeof tool.function?.name !== 'string') {
    throw GatewayError.invalidRequest('Only function tools can be sent to Amazon Bedrock.', `tools[${index}]`);
  }
  const spec: Body = { name: tool.function.name, inputSchema: { json: tool.function.parameters ?? { type: 'object', properties: {} } } };
  // Converse rejects an empty description, so an absent or empty one is left out.
  if (typeof tool.function.description === 'string' && tool.function.description) spec.description = tool.function.description;
  return { toolSpec: spec };
}

function converseToolChoice(choice: unknown): Body | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  const name = (choice as { type?: unknown; function?: { name?: unknown } }).function?.name;
  if ((choice as { type?: unknown }).type === 'function' && typeof name === 'string') return { tool: { name } };
  throw GatewayError.invalidRequest("tool_choice must be 'auto', 'required', 'none' or a function.", 'tool_choice');
}
