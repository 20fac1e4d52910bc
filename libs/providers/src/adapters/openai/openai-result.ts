import { usageOfJsonBody } from '@app/core';
import type { ChatCompletionResult, JsonResult } from '../provider-adapter';
import { discardBody, type UpstreamHttp, type UpstreamHttpResponse } from '../upstream-http';
import { UpstreamFailure } from '../../resilience/upstream-failure';
import { openAIStatusFailure } from './openai-errors';
import { openAIEventData } from './openai-sse';

/**
 * Turns an OpenAI-dialect upstream answer (OpenAI, Azure OpenAI, any compatible server) into the
 * adapter result: non-2xx → UpstreamFailure, JSON relayed as bytes, SSE relayed event by event.
 */
export function openAIChatResult(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse, stream: boolean): Promise<ChatCompletionResult> {
  // Not async itself: an async layer that only hands on another promise costs two more per request.
  return stream ? openAIStreamResult(http, provider, response) : openAIJsonResult(http, provider, response);
}

async function openAIStreamResult(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse): Promise<ChatCompletionResult> {
  if (!succeeded(response)) await throwOnFailure(http, provider, response);
  const contentType = String(response.headers['content-type'] ?? '');
  if (!contentType.includes('text/event-stream')) {
    discardBody(response.body);
    throw new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' did not answer with an event stream.`);
  }
  return { kind: 'stream', status: response.status, events: openAIEventData(http, provider, response) };
}

/** A non-streaming answer (chat or embeddings) relayed as the upstream's bytes. */
export async function openAIJsonResult(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse): Promise<JsonResult> {
  // Checked here first: awaiting throwOnFailure for every 2xx cost a promise per request.
  if (!succeeded(response)) await throwOnFailure(http, provider, response);
  const body = await http.readBody(response);
  return { kind: 'json', status: response.status, body, usage: relayedUsage(provider, body) };
}

/**
 * The usage of a body relayed unparsed, which is also where a 200 that is not a JSON object (an
 * HTML page, nothing, cut-off text) is caught as the upstream's failure. Cheap on the hot path:
 * the first and last non-blank bytes must be braces, and usage is read from the tail; only when it
 * is not last does usageOfJsonBody parse the whole body, and then that parse proves it is JSON.
 */
function relayedUsage(provider: string, body: Buffer): unknown {
  if (!isBraced(body)) throw notJson(provider);
  try {
    return usageOfJsonBody(body);
  } catch (error) {
    throw notJson(provider, error);
  }
}

function isBraced(body: Buffer): boolean {
  let start = 0;
  let end = body.length - 1;
  while (start <= end && isBlank(body[start])) start++;
  while (end > start && isBlank(body[end])) end--;
  return end > start && body[start] === 123 && body[end] === 125; // { … }
}

function isBlank(byte: number): boolean {
  return byte === 32 || byte === 10 || byte === 13 || byte === 9;
}

function notJson(provider: string, cause?: unknown): UpstreamFailure {
  return new UpstreamFailure('protocol', provider, `Upstream provider '${provider}' answered with a body that is not JSON.`, { cause });
}

export async function throwOnFailure(http: UpstreamHttp, provider: string, response: UpstreamHttpResponse): Promise<void> {
  if (succeeded(response)) return;
  throw openAIStatusFailure(provider, response.status, response.headers, await http.readErrorBody(response));
}

function succeeded(response: UpstreamHttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** Asks for the final usage chunk so every stream can be metered; the caller hides it if unasked. */
export function withUsageRequested(body: Record<string, unknown>): Record<string, unknown> {
  const options = body.stream_options;
  if (options && typeof options === 'object' && (options as Record<string, unknown>).include_usage === true) return body;
  return { ...body, stream_options: { ...(options as object | undefined), include_usage: true } };
}
