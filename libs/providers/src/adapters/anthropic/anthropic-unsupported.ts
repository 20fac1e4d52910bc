import { GatewayError } from '@app/core';

/** Top-level fields the translation reads; anything else would be silently lost, so it is refused. */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'user',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  'service_tier',
  'n',
  'logprobs',
  'top_logprobs',
  'store',
  'metadata',
  'modalities',
  'audio',
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'logit_bias',
]);

/**
 * Refuses, naming the field, what the Messages API cannot express. Neutral values (`n: 1`,
 * `logprobs: false`, zero penalties, `store: false` …) are accepted, since they ask for nothing.
 * `metadata` is only meaningful to OpenAI together with `store`, which is refused, so it is ignored.
 */
export function rejectUntranslatable(body: Record<string, unknown>): void {
  for (const field of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(field) && body[field] !== undefined) refuse(field, `'${field}' is not supported for Anthropic providers.`);
  }
  if (body.n != null && body.n !== 1) refuse('n', "Anthropic providers return one choice; 'n' must be 1.");
  if (body.logprobs != null && body.logprobs !== false) refuse('logprobs', 'Anthropic providers do not return log probabilities.');
  if (body.top_logprobs != null) refuse('top_logprobs', 'Anthropic providers do not return log probabilities.');
  if (body.audio != null) refuse('audio', 'Anthropic providers do not produce audio.');
  if (Array.isArray(body.modalities) && body.modalities.some((modality) => modality !== 'text')) refuse('modalities', 'Anthropic providers only produce text.');
  for (const field of ['frequency_penalty', 'presence_penalty'] as const) {
    if (body[field] != null && body[field] !== 0) refuse(field, `'${field}' has no Anthropic equivalent.`);
  }
  if (body.seed != null) refuse('seed', "'seed' has no Anthropic equivalent.");
  if (body.logit_bias != null && Object.keys(body.logit_bias).length > 0) refuse('logit_bias', "'logit_bias' has no Anthropic equivalent.");
  if (body.store === true) refuse('store', 'Stored completions are not available for Anthropic providers.');
}

function refuse(field: string, message: string): never {
  throw GatewayError.invalidRequest(message, field, 'unsupported_parameter');
}
