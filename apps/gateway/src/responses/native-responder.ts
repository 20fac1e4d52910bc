import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { redactSecrets, usageFromOpenAI } from '@app/core';
import { type PrimedUpstreamResponse, primeBody, primedChunks, type ProviderInstance, type UpstreamCallContext, type UpstreamHttpResponse } from '@app/providers';
import { type JsonObject, nativeResponsesPath, ResponsePersistence, type ResponseRequestFields } from '@app/responses';
import { NativeForwarder, parseObject } from '../native/native-forwarder';
import { readWholeBody, unreadableAnswer } from '../native/native-upstream';
import type { Exchange } from '../pipeline/exchange';
import { jsonResult, type RouteResult } from '../pipeline/route-result';
import { NativeStreamObserver } from './native-stream-observer';

const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** A native Responses request: the forwarded body and what storage needs to know about it. */
export interface NativeCall {
  readonly provider: ProviderInstance;
  readonly model: string;
  readonly body: JsonObject;
  readonly fields: ResponseRequestFields;
  readonly params: JsonObject;
  readonly keyId: string | null;
  readonly userPath: string | null;
}

/** A native answer in hand: a JSON body read whole, or an SSE stream whose first chunk arrived. */
export type NativeOpened = { readonly upstream: UpstreamHttpResponse; readonly body: Buffer } | { readonly upstream: PrimedUpstreamResponse; readonly body?: undefined };

/**
 * Forwards a Responses request to a provider that has the API (model rewritten; prior turns
 * rebuilt by the caller when the provider cannot resolve them). `open` is one attempt (a
 * FailoverRunner runs it per target, with retries); `respond` turns what it opened into the answer:
 * JSON whole, SSE chunk by chunk, observed for the final response, which is then stored.
 */
@Injectable()
export class NativeResponder {
  constructor(
    private readonly persistence: ResponsePersistence,
    private readonly forwarder: NativeForwarder,
  ) {}

  /**
   * Everything up to a complete JSON body (or the first chunk of a stream) happens inside the
   * attempt: 429/5xx and broken bodies are retried, counted by the breaker and failed over.
   */
  async open(provider: ProviderInstance, body: JsonObject, stream: boolean, context: UpstreamCallContext): Promise<NativeOpened> {
    const headers = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' };
    const request = { method: 'POST' as const, path: nativeResponsesPath(provider.config), headers, body: JSON.stringify(body) };
    const upstream = await this.forwarder.forwardOnce(provider, request, context, 'openai');
    if (isEventStream(upstream)) return { upstream: await primeBody(provider.name, upstream) };
    return { upstream, body: await readWholeBody(provider, upstream, MAX_JSON_BYTES) };
  }

  respond(exchange: Exchange, call: NativeCall, answer: NativeOpened): RouteResult {
    exchange.upstreamStatus = answer.upstream.status;
    if (answer.body === undefined) {
      const observer = new NativeStreamObserver();
      return {
        kind: 'sse',
        status: 200,
        chunks: this.relay(exchange, call, answer.upstream, observer),
        onError: () => truncatedEvent(call.provider.name, observer.nextSequenceNumber),
      };
    }
    exchange.upstreamEndedAt = performance.now();
    const text = answer.body.toString('utf8');
    const parsed = parseObject(text);
    if (!parsed) throw unreadableAnswer(call.provider);
    exchange.usage = usageFromOpenAI(parsed.usage);
    this.store(call, parsed);
    return jsonResult(answer.upstream.status, text);
  }

  /**
   * The SSE bytes as they arrive. A stream that breaks off or ends without a terminal event ends
   * with an `error` event (the SDKs raise it), never a clean end that passes for a complete answer.
   */
  private async *relay(exchange: Exchange, call: NativeCall, answer: PrimedUpstreamResponse, observer: NativeStreamObserver): AsyncGenerator<string | Buffer> {
    try {
      for await (const chunk of primedChunks(answer)) {
        exchange.firstTokenAt ??= performance.now();
        // An upstream error or failed event carries upstream text: it goes out with credentials redacted.
        const carriesError = observer.push(chunk);
        yield carriesError ? redactSecrets(chunk.toString('utf8')) : chunk;
      }
    } finally {
      exchange.upstreamEndedAt = performance.now();
    }
    // The blank line the upstream left off, so the client's SDK sees its last event (or the error event after it).
    if (observer.unterminated) yield '\n\n';
    const final = observer.finish();
    if (!observer.ended) throw new Error('the upstream stream ended without a terminal event');
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
      userPath: call.userPath,
    });
  }
}

function isEventStream(answer: UpstreamHttpResponse): boolean {
  return String(answer.headers['content-type'] ?? '').includes('text/event-stream');
}

/**
 * The Responses `error` event for a stream the upstream broke off. The spec puts code, message and
 * param on the event; the nested `error` object is what the openai SDKs raise as an APIError.
 */
function truncatedEvent(provider: string, sequenceNumber: number): string {
  const error = {
    type: 'upstream_error',
    code: 'upstream_stream_error',
    message: `Upstream provider '${provider}' closed the stream before the response was complete.`,
    param: null,
  };
  const event = { type: 'error', code: error.code, message: error.message, param: null, sequence_number: sequenceNumber, error };
  return `event: error\ndata: ${JSON.stringify(event)}\n\n`;
}
