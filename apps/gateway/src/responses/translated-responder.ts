import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError, toOpenAIError } from '@app/core';
import { type PrimedChatStream, releaseChatStream } from '@app/providers';
import { JOB_QUEUE, type JobQueue } from '@app/queue';
import { enqueueBackgroundResponse, type JsonObject, type JsonRun, type PreparedResponse, ResponsePersistence, ResponseStore, ResponseStreamTranslator, toStored } from '@app/responses';
import type { Exchange } from '../http/exchange';
import { SSE_HEADERS, sendJson, writeEvents } from './response-sse';

/** Serves a Responses request for a provider without a Responses API, through chat completions. */
@Injectable()
export class TranslatedResponder {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    private readonly store: ResponseStore,
    private readonly persistence: ResponsePersistence,
  ) {}

  /** Answers with a run's settled response (the attempt ran along the plan, see ResponsesService). */
  respondJson(exchange: Exchange, prepared: PreparedResponse, result: JsonRun): void {
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = result.status;
    exchange.usage = result.usage;
    sendJson(exchange.response, 200, result.response);
    this.finished(prepared, result.response);
  }

  /** Relays a chat stream whose first chunk arrived, translated to Responses events. */
  async respondStream(exchange: Exchange, prepared: PreparedResponse, primed: PrimedChatStream): Promise<void> {
    exchange.upstreamStatus = primed.status;
    exchange.firstTokenAt = performance.now();
    const { response } = exchange;
    const translator = new ResponseStreamTranslator(prepared.shell);
    response.writeHead(200, SSE_HEADERS);
    writeEvents(response, translator.start());
    try {
      let next: IteratorResult<string> = { done: false, value: primed.first };
      while (!next.done) {
        if (response.destroyed) return releaseChatStream(primed.rest);
        writeEvents(response, translator.push(next.value));
        next = await primed.rest.next();
      }
      writeEvents(response, translator.finish());
    } catch (error) {
      exchange.errorType = 'upstream_stream_error';
      // A translation failure leaves the upstream stream open: let it go.
      releaseChatStream(primed.rest);
      writeEvents(response, translator.fail(error instanceof GatewayError ? error : undefined, toOpenAIError(error).body.error.message));
    } finally {
      exchange.upstreamEndedAt = performance.now();
      exchange.usage = translator.usage();
    }
    response.end();
    const final = translator.response();
    if (final) this.finished(prepared, final);
  }

  /**
   * Stores the response as queued and enqueues its job (all or nothing: a 503 leaves no row);
   * the client gets the queued object at once.
   */
  async background(exchange: Exchange, prepared: PreparedResponse): Promise<void> {
    const queued = { ...prepared.shell, status: 'queued', background: true };
    await enqueueBackgroundResponse(this.store, this.jobs, toStored(this.finishedOf(prepared, queued), true), prepared.fields.input);
    sendJson(exchange.response, 200, queued);
  }

  private finished(prepared: PreparedResponse, response: JsonObject): void {
    this.persistence.finished(this.finishedOf(prepared, response));
  }

  private finishedOf(prepared: PreparedResponse, response: JsonObject) {
    const { fields, target } = prepared;
    return {
      response,
      params: prepared.params,
      input: fields.input,
      provider: target.provider.name,
      model: target.model,
      native: false,
      store: fields.store,
      previousResponseId: fields.previousResponseId,
      conversationId: fields.conversationId,
      keyId: prepared.keyId,
    };
  }
}
