import { GatewayError } from '@app/core';
import { chatMessages, systemMessages, untranslatable } from './chat-messages';
import { chatToolChoice, chatTools, reasoningEffort } from './chat-tools';

/**
 * Top-level Messages fields this translation understands. Anything else (container, mcp_servers,
 * context_management …) is an Anthropic platform feature and is refused by name rather than lost.
 * `cache_control` hints, wherever they appear, are dropped on purpose: they only steer Anthropic's
 * prompt cache (other providers cache on their own), and the answer is the same without them.
 */
const KNOWN_FIELDS = new Set([
  'model',
  'max_tokens',
  'system',
  'messages',
  'tools',
  'tool_choice',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'metadata',
  'thinking',
  'stream',
  'output_config',
  'service_tier',
  'cache_control',
]);

/** What the answer's translation needs to know about the request. */
export interface ChatRequestPlan {
  readonly body: Record<string, unknown>;
  readonly stopSequences: readonly string[];
}

/** A Messages request → the canonical Chat Completions body for `upstreamModel`. */
export function toChatRequest(body: Record<string, any>, upstreamModel: string): ChatRequestPlan {
  for (const field of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(field) && body[field] !== undefined && body[field] !== null) throw untranslatable(`'${field}'`, field);
  }
  const out: Record<string, unknown> = {
    model: upstreamModel,
    messages: [...systemMessages(body.system), ...chatMessages(body.messages as unknown[])],
    max_tokens: body.max_tokens,
  };
  for (const field of ['temperature', 'top_p', 'top_k'] as const) if (body[field] !== undefined && body[field] !== null) out[field] = body[field];
  const stopSequences = readStopSequences(body.stop_sequences);
  if (stopSequences.length > 0) out.stop = stopSequences;
  const user = metadataUser(body.metadata);
  if (user !== undefined) out.user = user;
  if (body.tools !== undefined && body.tools !== null) {
    const tools = chatTools(body.tools);
    if (tools.length > 0) out.tools = tools;
  }
  Object.assign(out, chatToolChoice(body.tool_choice, out.tools !== undefined));
  Object.assign(out, outputConfig(body.output_config));
  const effort = reasoningEffort(body.thinking, body.output_config?.effort);
  if (effort !== undefined) out.reasoning_effort = effort;
  if (body.service_tier !== undefined && body.service_tier !== null) out.service_tier = serviceTier(body.service_tier);
  if (body.stream === true) out.stream = true;
  return { body: out, stopSequences };
}

function readStopSequences(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw GatewayError.invalidRequest('stop_sequences: Input should be a valid list of strings', 'stop_sequences');
  }
  return value;
}

function metadataUser(metadata: unknown): string | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw GatewayError.invalidRequest('metadata: Input should be a valid dictionary', 'metadata');
  for (const field of Object.keys(metadata)) {
    if (field !== 'user_id') throw GatewayError.invalidRequest(`metadata.${field}: Extra inputs are not permitted`, `metadata.${field}`);
  }
  const user = (metadata as { user_id?: unknown }).user_id;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- client input: a JSON object here becomes '[object Object]', as it always has; rejecting it with a 400 would change behaviour (left for request validation)
  return user === undefined || user === null ? undefined : String(user);
}

/** `output_config.format` (structured output) → `response_format`; `effort` is read with `thinking`. */
function outputConfig(config: unknown): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  const record = config as Record<string, any>;
  for (const field of Object.keys(record)) {
    if (field !== 'effort' && field !== 'format') throw untranslatable(`'output_config.${field}'`, `output_config.${field}`);
  }
  const format = record.format;
  if (format === undefined || format === null) return {};
  if (format.type !== 'json_schema' || !format.schema || typeof format.schema !== 'object') {
    throw GatewayError.invalidRequest("output_config.format: only {type: 'json_schema', schema} is supported", 'output_config.format');
  }
  return { response_format: { type: 'json_schema', json_schema: { name: 'response', schema: format.schema, strict: true } } };
}

/** Anthropic's `standard_only` is OpenAI's `default`. */
function serviceTier(tier: unknown): string {
  if (tier === 'auto') return 'auto';
  if (tier === 'standard_only') return 'default';
  throw GatewayError.invalidRequest("service_tier: Input should be 'auto' or 'standard_only'", 'service_tier');
}
