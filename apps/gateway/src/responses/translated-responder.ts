import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { GatewayError, toOpenAIError } from '@app/core';
import { type PrimedChatStream, releaseChatStream } from '@app/providers';
import { JOB_QUEUE, type JobQueue } from '@app/queue';
import {
  enqueueBackgroundResponse,
  type JsonObject,
  type JsonRun,
  type PreparedResponse,
  ResponsePersistence,
  ResponseStore,
  ResponseStreamTranslator,
  toStored,
} from '@app/responses';
import type { Exchange } from '../pipeline/exchange';
import { jsonResult, type RouteResult } from '../pipeline/route-result';
import { eventsText } from './response-sse';

/** Serves a Responses request for a provider without a Responses API, through chat completions. */
@Injectable()
export class TranslatedResponder {
  constructor(
    @Inject(JOB_QUEUE) private readonly jobs: JobQueue,
    private readonly store: ResponseStore,
    private readonly persistence: ResponsePersistence,
  ) {}

  /** Answers with a run's settled response (the attempt ran along the plan, see ResponsesService). */
  respondJson(exchange: Exchange, prepared: PreparedResponse, result: JsonRun): RouteResult {
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = result.status;
    exchange.usage = result.usage;
    this.finished(prepared, result.response);
    return jsonResult(200, result.response);
  }

  /** A chat stream whose first chunk arrived, translated to Responses events. */
  respondStream(exchange: Exchange, prepared: PreparedResponse, primed: PrimedChatStream): RouteResult {
    exchange.upstreamStatus = primed.status;
    exchange.firstTokenAt = performance.now();
    const translator = new ResponseStreamTranslator(prepared.shell);
    return { kind: 'sse', status: 200, chunks: this.events(exchange, prepared, primed, translator), onError: () => undefined };
  }

  /**
   * Stores the response as queued and enqueues its job (all or nothing: a 503 leaves no row);
   * the client gets the queued object at once.
   */
  async background(prepared: PreparedResponse): Promise<RouteResult> {
    const queued = { ...prepared.shell, status: 'queued', background: true };
    await enqueueBackgroundResponse(this.store, this.jobs, toStored(this.finishedOf(prepared, queued), true), prepared.fields.input);
    return jsonResult(200, queued);
  }

  /** A translation failure ends the stream with the translator's own failure events (never thrown to the responder). */
  private async *events(exchange: Exchange, prepared: PreparedResponse, primed: PrimedChatStream, translator: ResponseStreamTranslator): AsyncGenerator<string> {
    let ended = false;
    try {
      yield eventsText(translator.start());
      let next: IteratorResult<string> = { done: false, value: primed.first };
      while (!next.done) {
        const text = eventsText(translator.push(next.value));
        if (text !== '') yield text;
        next = await primed.rest.next();
      }
      ended = true;
      const tail = eventsText(translator.finish());
      if (tail !== '') yield tail;
    } catch (error) {
      exchange.errorType = 'upstream_stream_error';
      ended = false;
      const tail = eventsText(translator.fail(error instanceof GatewayError ? error : undefined, toOpenAIError(error).body.error.message));
      if (tail !== '') yield tail;
    } finally {
      exchange.upstreamEndedAt = performance.now();
      exchange.usage = translator.usage();
      // The client left or the translation failed: the upstream stream is let go at once.
      if (!ended) releaseChatStream(primed.rest);
    }
    const final = translator.response();
    if (final) this.finished(prepared, final);
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
      userPath: prepared.userPath,
    };
  }
}
