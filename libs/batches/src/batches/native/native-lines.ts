import { anthropicErrorBody, redactSecrets, type TokenUsage, usageFromAnthropic, usageFromOpenAI } from '@app/core';
import { type AnthropicMessage, statusOfAnthropicErrorType, toAnthropicRequest, toChatCompletion } from '@app/providers';
import type { BatchEndpoint } from '../batch-limits';

/** The outcome of one item as a provider's results report it (`cancelled`/`expired`: never run). */
export interface NativeItemOutcome {
  readonly status: 'succeeded' | 'failed' | 'cancelled' | 'expired';
  readonly statusCode: number | null;
  readonly response: unknown;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly upstreamRequestId: string | null;
  readonly usage?: TokenUsage;
}

/** One line of a provider's results, keyed by the custom_id the provider was given. */
export interface NativeResultLine {
  readonly customId: string;
  readonly outcome: NativeItemOutcome;
}

// The items table's column; provider request ids are far shorter in practice.
const MAX_REQUEST_ID = 128;

/** An OpenAI output/error file line `{id, custom_id, response: {status_code, request_id, body}, error}` → outcome. */
export function fromOpenAIOutputLine(line: Record<string, unknown>): NativeResultLine | undefined {
  if (typeof line.custom_id !== 'string') return undefined;
  const response = line.response as { status_code?: unknown; request_id?: unknown; body?: unknown } | null | undefined;
  const statusCode = typeof response?.status_code === 'number' ? response.status_code : null;
  const rawError = line.error as { code?: unknown; message?: unknown } | null | undefined;
  const error = rawError
    ? { code: typeof rawError.code === 'string' ? rawError.code : 'batch_request_failed', message: redactSecrets(typeof rawError.message === 'string' ? rawError.message : '') }
    : null;
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300 && error === null;
  const body = response?.body ?? null;
  const requestId = typeof response?.request_id === 'string' ? response.request_id.slice(0, MAX_REQUEST_ID) : null;
  const usage = ok ? usageFromOpenAI((body as { usage?: unknown })?.usage) : undefined;
  return { customId: line.custom_id, outcome: { status: ok ? 'succeeded' : 'failed', statusCode, response: body, error, upstreamRequestId: requestId, usage } };
}

/** A line's `params` for Message Batches: `/v1/messages` bodies as they are, chat bodies translated (model already rewritten). */
export function toAnthropicBatchParams(endpoint: BatchEndpoint, body: Record<string, unknown>, defaultMaxTokens: number): Record<string, unknown> {
  if (endpoint === '/v1/messages') return body;
  const { stream: _stream, ...rest } = body;
  return toAnthropicRequest(rest, { defaultMaxTokens }).body;
}

/** The tool a chat line's `response_format` became (see anthropic-response-format.ts), so its answer reads back as text. */
export function jsonToolNameOf(body: Record<string, unknown>): string | undefined {
  const format = body.response_format as { type?: unknown; json_schema?: { name?: unknown } } | null | undefined;
  if (format?.type === 'json_object') return 'json_object';
  if (format?.type === 'json_schema' && typeof format.json_schema?.name === 'string') return format.json_schema.name;
  return undefined;
}

/**
 * A Message Batches result line `{custom_id, result: {type, message | error}}` → outcome. Chat
 * lines get a chat.completion body (errors in OpenAI's envelope); `/v1/messages` lines keep
 * Anthropic's message and error bodies. `canceled` and `expired` requests never ran.
 */
export function fromAnthropicResult(line: Record<string, unknown>, endpoint: BatchEndpoint, jsonToolName?: string): NativeResultLine | undefined {
  if (typeof line.custom_id !== 'string') return undefined;
  const result = (line.result ?? {}) as { type?: unknown; message?: unknown; error?: unknown };
  const none = { statusCode: null, response: null, error: null, upstreamRequestId: null };
  switch (result.type) {
    case 'succeeded': {
      const message = (result.message ?? {}) as AnthropicMessage;
      const body = endpoint === '/v1/messages' ? message : toChatCompletion(message, jsonToolName);
      const usage = message.usage ? usageFromAnthropic(message.usage as unknown as Record<string, unknown>) : undefined;
      const requestId = typeof message.id === 'string' ? message.id.slice(0, MAX_REQUEST_ID) : null;
      return { customId: line.custom_id, outcome: { status: 'succeeded', statusCode: 200, response: body, error: null, upstreamRequestId: requestId, usage } };
    }
    case 'errored': {
      // `error` is an error response: {type: 'error', error: {type, message}}.
      const envelope = (result.error ?? {}) as { error?: { type?: unknown; message?: unknown } };
      const type = typeof envelope.error?.type === 'string' ? envelope.error.type : 'api_error';
      const message = redactSecrets(typeof envelope.error?.message === 'string' ? envelope.error.message : 'The provider could not answer this request.');
      const statusCode = statusOfAnthropicErrorType(type);
      const body = endpoint === '/v1/messages' ? anthropicErrorBody(type, message) : { error: { message, type, param: null, code: null } };
      return { customId: line.custom_id, outcome: { ...none, status: 'failed', statusCode, response: body } };
    }
    case 'canceled':
      return { customId: line.custom_id, outcome: { ...none, status: 'cancelled' } };
    case 'expired':
      return { customId: line.custom_id, outcome: { ...none, status: 'expired' } };
    default:
      return undefined;
  }
}
