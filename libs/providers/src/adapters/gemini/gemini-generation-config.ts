import { GatewayError } from '@app/core';
import { toGeminiSchema } from './gemini-schema';
import type { GeminiGenerationConfig, GeminiThinkingConfig } from './gemini-types';

type Body = Record<string, any>;

/**
 * `reasoning_effort` → Gemini 2.5 thinking budgets (tokens); the same steps Google's own OpenAI
 * compatibility layer uses. `none` turns thinking off; every other level asks for thought summaries
 * so they can be returned as `reasoning_content`.
 */
const THINKING_BUDGETS: Record<string, number> = { minimal: 512, low: 1024, medium: 8192, high: 24576, xhigh: 24576 };

/** Sampling and output options of a chat request → Gemini `generationConfig` (undefined when empty). */
export function generationConfigFor(body: Body): GeminiGenerationConfig | undefined {
  rejectUntranslatable(body);
  const config: GeminiGenerationConfig = {};
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) config.maxOutputTokens = maxTokens;
  copy(body, 'temperature', config, 'temperature');
  copy(body, 'top_p', config, 'topP');
  copy(body, 'seed', config, 'seed');
  copy(body, 'presence_penalty', config, 'presencePenalty');
  copy(body, 'frequency_penalty', config, 'frequencyPenalty');
  const stop = stopSequences(body.stop);
  if (stop) config.stopSequences = stop;
  Object.assign(config, responseFormat(body.response_format));
  const thinking = thinkingConfig(body.reasoning_effort);
  if (thinking) config.thinkingConfig = thinking;
  return Object.keys(config).length > 0 ? config : undefined;
}

function copy(body: Body, from: string, config: GeminiGenerationConfig, to: keyof GeminiGenerationConfig): void {
  if (body[from] !== undefined && body[from] !== null) (config as Body)[to] = body[from];
}

function rejectUntranslatable(body: Body): void {
  if (typeof body.n === 'number' && body.n > 1) throw GatewayError.invalidRequest("Gemini returns a single choice: 'n' must be 1.", 'n');
  if (body.logprobs === true) throw GatewayError.invalidRequest("'logprobs' is not supported for Gemini models through this gateway.", 'logprobs');
  if (Array.isArray(body.modalities) && body.modalities.some((modality: unknown) => modality !== 'text')) {
    throw GatewayError.invalidRequest('Gemini models answer with text only through this gateway.', 'modalities');
  }
  for (const field of ['audio', 'prediction', 'web_search_options', 'functions', 'function_call']) {
    if (body[field] !== undefined && body[field] !== null) throw GatewayError.invalidRequest(`'${field}' cannot be sent to Gemini.`, field);
  }
  if (body.logit_bias && Object.keys(body.logit_bias).length > 0) throw GatewayError.invalidRequest("'logit_bias' cannot be sent to Gemini.", 'logit_bias');
}

function stopSequences(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) return stop.length > 0 ? stop : undefined;
  throw GatewayError.invalidRequest("'stop' must be a string or an array of strings.", 'stop');
}

function responseFormat(format: any): Partial<GeminiGenerationConfig> {
  if (format === undefined || format === null || format.type === 'text') return {};
  if (format.type === 'json_object') return { responseMimeType: 'application/json' };
  if (format.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    if (schema === undefined) return { responseMimeType: 'application/json' };
    return { responseMimeType: 'application/json', responseSchema: toGeminiSchema(schema, 'response_format.json_schema.schema') };
  }
  throw GatewayError.invalidRequest(`'response_format.type' '${String(format.type)}' cannot be sent to Gemini.`, 'response_format.type');
}

function thinkingConfig(effort: unknown): GeminiThinkingConfig | undefined {
  if (effort === undefined || effort === null) return undefined;
  if (effort === 'none') return { thinkingBudget: 0 };
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an object never names a budget, so it meets the 400 below; String() also keeps ['low'] working as it does today
  const budget = THINKING_BUDGETS[String(effort)];
  if (budget === undefined) {
    throw GatewayError.invalidRequest(`'reasoning_effort' must be one of none, ${Object.keys(THINKING_BUDGETS).join(', ')}.`, 'reasoning_effort');
  }
  return { thinkingBudget: budget, includeThoughts: true };
}
