import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { usageFromOpenAI } from '@app/core';
import { type ProviderInstance, UpstreamExecutor } from '@app/providers';
import { isObject, type JsonObject, nativeResponsesPath } from '@app/responses';
import type { Exchange } from '../http/exchange';
import { upstreamSignal } from '../http/upstream-signal';
import { failOnStatus, readWholeBody, unreadableAnswer } from './native-upstream';
import { sendJson } from './response-sse';

const MAX_BYTES = 16 * 1024 * 1024;

/** A successful upstream JSON answer read whole. */
export interface NativeAnswer {
  readonly status: number;
  readonly json?: JsonObject;
}

/**
 * Small JSON calls to a provider's native Responses API (lifecycle routes, counting, compaction).
 * A non-2xx answer is thrown as the adapter's UpstreamFailure (retried, counted by the breaker,
 * message redacted); callers that care about a status read `upstreamStatus` off it.
 */
@Injectable()
export class NativeForwarder {
  constructor(private readonly executor: UpstreamExecutor) {}

  call(provider: ProviderInstance, method: 'GET' | 'POST' | 'DELETE', subpath: string, requestId: string, signal: AbortSignal, body?: JsonObject): Promise<NativeAnswer> {
    const headers: Record<string, string> = body ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' };
    const request = {
      method,
      path: nativeResponsesPath(provider.config, subpath),
      headers,
      body: body ? JSON.stringify(body) : undefined,
    };
    return this.executor.execute(provider, signal, async () => {
      const answer = await provider.adapter.forward(request, { requestId, signal });
      await failOnStatus(provider, answer);
      const text = (await readWholeBody(provider, answer, MAX_BYTES)).toString('utf8');
      return { status: answer.status, json: parseObject(text) };
    });
  }

  /** Forwards a POST on the hot path and relays the provider's JSON answer. */
  async relay(exchange: Exchange, provider: ProviderInstance, subpath: string, body: JsonObject): Promise<void> {
    const answer = await this.call(provider, 'POST', subpath, exchange.requestId, upstreamSignal(exchange), body).catch((error: unknown) => {
      exchange.upstreamStatus = (error as { upstreamStatus?: number }).upstreamStatus ?? 'error';
      throw error;
    });
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = answer.status;
    if (!answer.json) throw unreadableAnswer(provider);
    exchange.usage = usageFromOpenAI(answer.json.usage);
    sendJson(exchange.response, answer.status, answer.json);
  }
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
