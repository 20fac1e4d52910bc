import type { TokenUsage } from '@app/core';
import { isObject, type JsonObject, type ResponseItem, type ResponseStatus, type ResponseUsage } from './response-types';

/** Request fields echoed on the response object, with OpenAI's defaults when absent. */
const ECHOED: ReadonlyArray<[string, unknown]> = [
  ['instructions', null],
  ['max_output_tokens', null],
  ['parallel_tool_calls', true],
  ['previous_response_id', null],
  ['temperature', 1],
  ['tool_choice', 'auto'],
  ['tools', []],
  ['top_p', 1],
  ['truncation', 'disabled'],
  ['user', null],
  ['metadata', {}],
  ['service_tier', 'auto'],
  ['top_logprobs', 0],
  ['prompt_cache_key', null],
  ['safety_identifier', null],
];

export interface ResponseShell {
  readonly id: string;
  /** The model as the client named it. */
  readonly model: string;
  readonly createdAt: number;
  readonly conversationId?: string;
}

/** A response object with no output yet, echoing the request's parameters. */
export function responseShell(shell: ResponseShell, request: JsonObject, status: ResponseStatus): JsonObject {
  const response: JsonObject = {
    id: shell.id,
    object: 'response',
    created_at: shell.createdAt,
    status,
    background: request.background === true,
    error: null,
    incomplete_details: null,
    model: shell.model,
    output: [],
  };
  for (const [name, fallback] of ECHOED) response[name] = request[name] ?? fallback;
  response.store = request.store !== false;
  response.reasoning = isObject(request.reasoning) ? { effort: request.reasoning.effort ?? null, summary: request.reasoning.summary ?? null } : { effort: null, summary: null };
  response.text = isObject(request.text) ? { format: { type: 'text' }, ...request.text } : { format: { type: 'text' } };
  response.conversation = shell.conversationId ? { id: shell.conversationId } : null;
  response.usage = null;
  return response;
}

/** The Responses usage object from the gateway's neutral token counts. */
export function responseUsage(usage: TokenUsage | undefined): ResponseUsage | null {
  if (!usage) return null;
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** The outcome of running a response, ready to be put on its object. */
export interface ResponseOutcome {
  readonly status: ResponseStatus;
  readonly output: ResponseItem[];
  readonly usage?: TokenUsage;
  readonly error?: { code: string; message: string };
  /** Why the response is incomplete (e.g. `max_output_tokens`). */
  readonly incompleteReason?: string;
}

/** The shell completed with an outcome (a new object; the shell is left as it was). */
export function settleResponse(shell: JsonObject, outcome: ResponseOutcome): JsonObject {
  return {
    ...shell,
    status: outcome.status,
    completed_at: outcome.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    output: outcome.output,
    usage: responseUsage(outcome.usage),
    error: outcome.error ?? null,
    incomplete_details: outcome.incompleteReason ? { reason: outcome.incompleteReason } : null,
  };
}
