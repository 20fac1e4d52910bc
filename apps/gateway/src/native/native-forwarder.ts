import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import {
  anthropicStatusFailure,
  openAIStatusFailure,
  type PrimedUpstreamResponse,
  primeBody,
  type ProviderInstance,
  type RawUpstreamRequest,
  readErrorText,
  type UpstreamCallContext,
  UpstreamExecutor,
  type UpstreamHttpResponse,
} from '@app/providers';
import { isObject, type JsonObject, nativeResponsesPath } from '@app/responses';
import { readWholeBody } from './native-upstream';

/** Whose error envelope a native upstream answers in: Anthropic's Messages API or OpenAI's. */
export type NativeDialect = 'anthropic' | 'openai';

/** A successful upstream JSON answer read whole (`json` undefined: not a JSON object). */
export interface NativeAnswer {
  readonly status: number;
  readonly json?: JsonObject;
  readonly text: string;
}

const MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * The client headers an Anthropic upstream gets: the API version and beta flags the client asked
 * for (so beta features keep working), and the body's type. Credentials are the adapter's own.
 */
const ANTHROPIC_FORWARDED_HEADERS = ['anthropic-version', 'anthropic-beta', 'content-type', 'accept'] as const;

export function anthropicRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ANTHROPIC_FORWARDED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  out['content-type'] ??= 'application/json';
  return out;
}

/**
 * Calls to a provider's own API (Anthropic Messages, OpenAI Responses) for every native path of
 * the gateway. The `…Once` methods are single attempts for a FailoverRunner (or an executor) to
 * run: a non-2xx answer is thrown as the adapter's UpstreamFailure (parsed, in the upstream's
 * status and type, never the raw body) so 429/5xx are retried and counted by the breaker; a 2xx
 * resolves once its first body chunk is in hand (`openOnce`) or read whole (`jsonOnce`), so a body
 * that breaks off before that is still the attempt's failure, invisible to the client.
 */
@Injectable()
export class NativeForwarder {
  constructor(private readonly executor: UpstreamExecutor) {}

  async forwardOnce(provider: ProviderInstance, request: RawUpstreamRequest, context: UpstreamCallContext, dialect: NativeDialect): Promise<UpstreamHttpResponse> {
    const answer = await provider.adapter.forward(request, context);
    if (answer.status >= 200 && answer.status < 300) return answer;
    const text = await readErrorText(answer);
    throw dialect === 'anthropic'
      ? anthropicStatusFailure(provider.name, answer.status, answer.headers, text)
      : openAIStatusFailure(provider.name, answer.status, answer.headers, text);
  }

  async openOnce(provider: ProviderInstance, request: RawUpstreamRequest, context: UpstreamCallContext, dialect: NativeDialect): Promise<PrimedUpstreamResponse> {
    return primeBody(provider.name, await this.forwardOnce(provider, request, context, dialect));
  }

  async jsonOnce(provider: ProviderInstance, request: RawUpstreamRequest, context: UpstreamCallContext, dialect: NativeDialect): Promise<NativeAnswer> {
    const answer = await this.forwardOnce(provider, request, context, dialect);
    const text = (await readWholeBody(provider, answer, MAX_JSON_BYTES)).toString('utf8');
    return { status: answer.status, json: parseObject(text), text };
  }

  /** A small JSON call to a provider's native Responses API (lifecycle routes), with retries and breaker. */
  call(provider: ProviderInstance, method: 'GET' | 'POST' | 'DELETE', subpath: string, requestId: string, signal: AbortSignal, body?: JsonObject): Promise<NativeAnswer> {
    const request = responsesRequest(provider, method, subpath, body);
    return this.executor.execute(provider, signal, () => this.jsonOnce(provider, request, { requestId, signal }, 'openai'));
  }
}

/** A request to `<Responses API path><subpath>` of a provider, JSON in and out. */
export function responsesRequest(provider: ProviderInstance, method: 'GET' | 'POST' | 'DELETE', subpath: string, body?: JsonObject): RawUpstreamRequest {
  const headers: Record<string, string> = body ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' };
  return { method, path: nativeResponsesPath(provider.config, subpath), headers, body: body ? JSON.stringify(body) : undefined };
}

export function parseObject(text: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
