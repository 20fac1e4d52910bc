import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { usageFromOpenAI } from '@app/core';
import { discardBody, type ProviderInstance, type UpstreamHttpResponse, UpstreamExecutor } from '@app/providers';
import { isObject, type JsonObject, nativeResponsesPath } from '@app/responses';
import type { Exchange } from '../http/exchange';
import { upstreamSignal } from '../http/upstream-signal';
import { sendJson } from './response-sse';

const MAX_BYTES = 16 * 1024 * 1024;

/** An upstream JSON answer read whole. */
export interface NativeAnswer {
  readonly status: number;
  readonly text: string;
  readonly json?: JsonObject;
}

/** Small JSON calls to a provider's native Responses API (lifecycle routes, counting, compaction). */
@Injectable()
export class NativeForwarder {
  constructor(private readonly executor: UpstreamExecutor) {}

  async call(provider: ProviderInstance, method: 'GET' | 'POST' | 'DELETE', subpath: string, requestId: string, signal: AbortSignal, body?: JsonObject): Promise<NativeAnswer> {
    const headers: Record<string, string> = body ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' };
    const request = {
      method,
      path: nativeResponsesPath(provider.config, subpath),
      headers,
      body: body ? JSON.stringify(body) : undefined,
    };
    const answer = await this.executor.execute(provider, signal, () => provider.adapter.forward(request, { requestId, signal }));
    const text = (await readAll(answer)).toString('utf8');
    let json: JsonObject | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isObject(parsed)) json = parsed;
    } catch {
      json = undefined;
    }
    return { status: answer.status, text, json };
  }

  /** Forwards a POST on the hot path and relays the provider's JSON answer. */
  async relay(exchange: Exchange, provider: ProviderInstance, subpath: string, body: JsonObject): Promise<void> {
    const answer = await this.call(provider, 'POST', subpath, exchange.requestId, upstreamSignal(exchange), body);
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = answer.status;
    if (answer.json) exchange.usage = usageFromOpenAI(answer.json.usage);
    sendJson(exchange.response, answer.status >= 500 ? 502 : answer.status, answer.json ?? { error: { message: `Upstream provider '${provider.name}' answered with HTTP ${answer.status}.`, type: 'upstream_error', param: null, code: null } });
  }
}

async function readAll(answer: UpstreamHttpResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BYTES) {
      discardBody(answer.body);
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
