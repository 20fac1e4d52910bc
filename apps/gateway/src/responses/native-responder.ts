import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { usageFromOpenAI } from '@app/core';
import { discardBody, type ProviderInstance, type UpstreamHttpResponse, UpstreamExecutor } from '@app/providers';
import { type JsonObject, nativeResponsesPath, ResponsePersistence, type ResponseRequestFields } from '@app/responses';
import type { Exchange } from '../http/exchange';
import { upstreamSignal } from '../http/upstream-signal';
import { NativeStreamObserver } from './native-stream-observer';
import { SSE_HEADERS, sendJson } from './response-sse';

const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** A native Responses request: the forwarded body and what storage needs to know about it. */
export interface NativeCall {
  readonly provider: ProviderInstance;
  readonly model: string;
  readonly body: JsonObject;
  readonly fields: ResponseRequestFields;
  readonly params: JsonObject;
  readonly keyId: string | null;
}

/**
 * Forwards a Responses request to a provider that has the API (model rewritten; prior turns
 * rebuilt by the caller when the provider cannot resolve them). JSON answers are relayed whole,
 * SSE is piped chunk by chunk and observed for the final response, which is then stored.
 */
@Injectable()
export class NativeResponder {
  constructor(
    private readonly executor: UpstreamExecutor,
    private readonly persistence: ResponsePersistence,
  ) {}

  async forward(exchange: Exchange, call: NativeCall): Promise<void> {
    const signal = upstreamSignal(exchange);
    const headers = { 'content-type': 'application/json', accept: call.fields.stream ? 'text/event-stream' : 'application/json' };
    const request = { method: 'POST' as const, path: nativeResponsesPath(call.provider.config), headers, body: JSON.stringify(call.body) };
    const answer = await this.executor.execute(call.provider, signal, () => call.provider.adapter.forward(request, { requestId: exchange.requestId, signal }));
    exchange.upstreamStatus = answer.status;
    const isStream = String(answer.headers['content-type'] ?? '').includes('text/event-stream');
    if (answer.status >= 200 && answer.status < 300 && isStream) return this.pipe(exchange, call, answer);
    const body = await readAll(answer);
    exchange.upstreamEndedAt = performance.now();
    if (answer.status < 200 || answer.status >= 300) return sendJson(exchange.response, answer.status >= 500 ? 502 : answer.status, body.toString('utf8'));
    const parsed = JSON.parse(body.toString('utf8')) as JsonObject;
    exchange.usage = usageFromOpenAI(parsed.usage);
    sendJson(exchange.response, 200, body.toString('utf8'));
    this.store(call, parsed);
  }

  private async pipe(exchange: Exchange, call: NativeCall, answer: UpstreamHttpResponse): Promise<void> {
    const { response } = exchange;
    const observer = new NativeStreamObserver();
    response.writeHead(200, SSE_HEADERS);
    try {
      for await (const chunk of answer.body) {
        exchange.firstTokenAt ??= performance.now();
        observer.push(chunk as Buffer);
        if (response.destroyed) return discardBody(answer.body);
        response.write(chunk);
      }
    } catch {
      exchange.errorType = 'upstream_stream_error';
    }
    exchange.upstreamEndedAt = performance.now();
    response.end();
    const final = observer.finish();
    if (!final) return;
    exchange.usage = usageFromOpenAI(final.usage);
    this.store(call, final);
  }

  private store(call: NativeCall, response: JsonObject): void {
    if (typeof response.id !== 'string') return;
    this.persistence.finished({
      response,
      params: call.params,
      input: call.fields.input,
      provider: call.provider.name,
      model: call.model,
      native: true,
      store: call.fields.store,
      previousResponseId: call.fields.previousResponseId,
      conversationId: call.fields.conversationId,
      keyId: call.keyId,
    });
  }
}

async function readAll(answer: UpstreamHttpResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new Error('native Responses answer too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
