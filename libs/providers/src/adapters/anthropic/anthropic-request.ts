import { GatewayError } from '@app/core';
import { toAnthropicMessages } from './anthropic-messages';
import { rejectUntranslatable } from './anthropic-unsupported';
import { toAnthropicToolChoice, toAnthropicTools } from './anthropic-tools';
import { jsonResponseTool } from './anthropic-response-format';

/** A Messages API request body, plus what the answer's translation needs to know about it. */
export interface AnthropicRequestPlan {
  readonly body: Record<string, unknown>;
  /** Set when `response_format` was translated to a forced tool: its input is the answer's text. */
  readonly jsonToolName?: string;
}

export interface AnthropicRequestOptions {
  /** `max_tokens` is required by Anthropic: sent when the client gave none. */
  readonly defaultMaxTokens: number;
}

/**
 * `reasoning_effort` → extended thinking budgets. 1,024 is Anthropic's documented minimum budget;
 * high stays under 32k, above which Anthropic advises batch processing to avoid timeouts.
 */
const THINKING_BUDGETS: Readonly<Record<string, number>> = { minimal: 1_024, low: 1_024, medium: 8_192, high: 24_576 };

/** Canonical chat completion body (model already rewritten) → Messages API request. */
export function toAnthropicRequest(body: Record<string, unknown>, options: AnthropicRequestOptions): AnthropicRequestPlan {
  rejectUntranslatable(body);
  const { system, messages } = toAnthropicMessages(body.messages as unknown[]);
  const out: Record<string, unknown> = { model: body.model, messages };
  if (system !== undefined) out.system = system;
  Object.assign(out, tokenFields(body, options.defaultMaxTokens));
  copySampling(body, out);
  const stop = stopSequences(body.stop);
  if (stop) out.stop_sequences = stop;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- client input: a JSON object here becomes '[object Object]', as it always has; rejecting it with a 400 would change behaviour (left for request validation)
  if (body.user != null) out.metadata = { user_id: String(body.user) };
  if (body.service_tier != null) out.service_tier = serviceTier(body.service_tier);
  const tools = body.tools == null ? [] : toAnthropicTools(body.tools);
  const jsonTool = jsonResponseTool(body.response_format, tools.length > 0, out.thinking !== undefined);
  if (jsonTool) {
    out.tools = [jsonTool];
    out.tool_choice = { type: 'tool', name: jsonTool.name };
  } else if (tools.length > 0) {
    out.tools = tools;
    const choice = toAnthropicToolChoice(body.tool_choice, body.parallel_tool_calls);
    if (choice) out.tool_choice = choice;
  } else if (body.tool_choice != null && body.tool_choice !== 'none' && body.tool_choice !== 'auto') {
    throw GatewayError.invalidRequest("'tool_choice' requires 'tools'.", 'tool_choice');
  }
  if (body.stream === true) out.stream = true;
  return { body: out, jsonToolName: jsonTool?.name };
}

/**
 * `max_tokens` and `thinking`. Anthropic counts thinking inside `max_tokens` and requires the
 * budget to be below it; when the cap leaves no room for the budget, the client's cap is read as
 * room for the visible answer and the budget is added on top of it.
 */
function tokenFields(body: Record<string, unknown>, defaultMaxTokens: number): Record<string, unknown> {
  const param = body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const given = body[param];
  if (given != null && (!Number.isInteger(given) || (given as number) < 1)) {
    throw GatewayError.invalidRequest(`'${param}' must be a positive integer.`, param);
  }
  const maxTokens = (given as number | undefined) ?? defaultMaxTokens;
  const effort = body.reasoning_effort;
  if (effort == null || effort === 'none') return { max_tokens: maxTokens };
  const budget = typeof effort === 'string' ? THINKING_BUDGETS[effort] : undefined;
  if (budget === undefined) {
    throw GatewayError.invalidRequest(`'reasoning_effort' must be one of none, minimal, low, medium, high for an Anthropic provider.`, 'reasoning_effort');
  }
  return { max_tokens: maxTokens > budget ? maxTokens : budget + maxTokens, thinking: { type: 'enabled', budget_tokens: budget } };
}

function copySampling(body: Record<string, unknown>, out: Record<string, unknown>): void {
  if (body.temperature != null) {
    const temperature = body.temperature;
    // OpenAI accepts 0–2, Anthropic 0–1: scaling would change the meaning, so say so instead.
    if (typeof temperature !== 'number' || temperature < 0 || temperature > 1) {
      throw GatewayError.invalidRequest("'temperature' must be between 0 and 1 for an Anthropic provider.", 'temperature');
    }
    out.temperature = temperature;
  }
  if (body.top_p != null) out.top_p = body.top_p;
  // `top_k` is not an OpenAI field, but clients of OpenAI-compatible servers send it; same meaning.
  if (body.top_k != null) out.top_k = body.top_k;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (stop == null) return undefined;
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) return stop.length > 0 ? stop : undefined;
  throw GatewayError.invalidRequest("'stop' must be a string or an array of strings.", 'stop');
}

/** OpenAI's `default` tier is Anthropic's `standard_only`; flex and priority tiers have no equivalent. */
function serviceTier(tier: unknown): string {
  if (tier === 'auto') return 'auto';
  if (tier === 'default') return 'standard_only';
  throw GatewayError.invalidRequest(`'service_tier' '${String(tier)}' has no Anthropic equivalent; use 'auto' or 'default'.`, 'service_tier');
}
