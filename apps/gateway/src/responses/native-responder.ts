import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { redactSecrets, usageFromOpenAI } from '@app/core';
import { discardBody, type PrimedUpstreamResponse, primeBody, primedChunks, type ProviderInstance, type UpstreamCallContext, type UpstreamHttpResponse } from '@app/providers';
import { isObject, type JsonObject, nativeResponsesPath, ResponsePersistence, type ResponseRequestFields } from '@app/responses';
import type { Exchange } from '../http/exchange';
import { NativeStreamObserver } from './native-stream-observer';
import { failOnStatus, readWholeBody, unreadableAnswer } from './native-upstream';
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

/** A native answer in hand: a JSON body read whole, or an SSE stream whose first chunk arrived. */
export type NativeOpened = { readonly upstream: UpstreamHttpResponse; readonly body: Buffer } | { readonly upstream: PrimedUpstreamResponse; readonly body?: undefined };

/**
 * Forwards a Responses request to a provider that has the API (model rewritten; prior turns
 * rebuilt by the caller when the provider cannot resolve them). `open` is one attempt (a
 * FailoverRunner runs it per target, with retries); `respond` relays what it opened: JSON whole,
 * SSE chunk by chunk, observed for the final response, which is then stored.
 */
@Injectable()
export class NativeResponder {
  constructor(private readonly persistence: ResponsePersistence) {}

  /**
   * Everything up to a complete JSON body (or the first chunk of a stream) happens inside the
   * attempt: 429/5xx and broken bodies are retried, counted by the breaker and failed over.
   */
  async open(provider: ProviderInstance, body: JsonObject, stream: boolean, context: UpstreamCallContext): Promise<NativeOpened> {
    const headers = { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' };
    const request = { method: 'POST' as const, path: nativeResponsesPath(provider.config), headers, body: JSON.stringify(body) };
    const upstream = await provider.adapter.forward(request, context);
    await failOnStatus(provider, upstream);
    if (isEventStream(upstream)) return { upstream: await primeBody(provider.name, upstream) };
    return { upstream, body: await readWholeBody(provider, upstream, MAX_JSON_BYTES) };
  }

  async respond(exchange: Exchange, call: NativeCall, answer: NativeOpened): Promise<void> {
    exchange.upstreamStatus = answer.upstream.status;
    if (answer.body === undefined) return this.pipe(exchange, call, answer.upstream);
    exchange.upstreamEndedAt = performance.now();
    const text = answer.body.toString('utf8');
    const parsed = parseObject(text);
    if (!parsed) throw unreadableAnswer(call.provider);
    exchange.usage = usageFromOpenAI(parsed.usage);
    sendJson(exchange.response, answer.upstream.status, text);
    this.store(call, parsed);
  }

  /**
   * Relays the SSE bytes as they arrive. A stream that breaks off or ends without a terminal event
   * gets an `error` event (the SDKs raise it), never a clean end that passes for a complete answer.
   */
  private async pipe(exchange: Exchange, call: NativeCall, answer: PrimedUpstreamResponse): Promise<void> {
    const { response } = exchange;
    const observer = new NativeStreamObserver();
    response.writeHead(200, SSE_HEADERS);
    let broken = false;
    try {
      for await (const chunk of primedChunks(answer)) {
        exchange.firstTokenAt ??= performance.now();
        // An upstream error or failed event carries upstream text: it goes out with credentials redacted.
        const carriesError = observer.push(chunk as Buffer);
        if (response.destroyed) return discardBody(answer.body);
        response.write(carriesError ? redactSecrets((chunk as Buffer).toString('utf8')) : chunk);
      }
    } catch {
      broken = true;
    }
    exchange.upstreamEndedAt = performance.now();
    if (response.destroyed) return;
    // The blank line the upstream left off, so the client's SDK sees its last event (or the error event after it).
    if (observer.unterminated) response.write('\n\n');
    const final = observer.finish();
    if (broken || !observer.ended) {
      exchange.errorType = 'upstream_stream_error';
      response.end(truncatedEvent(call.provider.name, observer.nextSequenceNumber));
      return;
    }
    response.end();
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

function isEventStream(answer: UpstreamHttpResponse): boolean {
  return String(answer.headers['content-type'] ?? '').includes('text/event-stream');
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Responses `error` event for a stream the upstream broke off. The spec puts code, message and
 * param on the event; the nested `error` object is what the openai SDKs raise as an APIError.
 */
function truncatedEvent(provider: string, sequenceNumber: number): string {
  const error = { type: 'upstream_error', code: 'upstream_stream_error', message: `Upstream provider '${provider}' closed the stream before the response was complete.`, param: null };
  const event = { type: 'error', code: error.code, message: error.message, param: null, sequence_number: sequenceNumber, error };
  return `event: error\ndata: ${JSON.stringify(event)}\n\n`;
}
