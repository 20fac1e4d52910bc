import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { generateId, usageFromOpenAI } from '@app/core';
import { type ChatRequestPlan, MessageStreamTranslator, toAnthropicMessage, toChatRequest } from '@app/messages';
import { ChatCompletionClient, type PrimedChatStream, releaseChatStream, type ResolvedTarget, type UpstreamCallContext } from '@app/providers';
import type { Exchange } from '../../pipeline/exchange';
import { jsonResult, type RouteResult } from '../../pipeline/route-result';
import { estimateInputTokens } from '../count-tokens-estimate';
import { errorEvent } from '../messages-sse';

/** A translated Messages call whose upstream answer (or first stream event) is in hand. */
export type OpenedTranslation =
  | { readonly kind: 'json'; readonly request: ChatRequestPlan; readonly status: number; readonly completion: Record<string, any> }
  | { readonly kind: 'stream'; readonly request: ChatRequestPlan; readonly primed: PrimedChatStream; readonly inputEstimate: Promise<number> };

/**
 * Serves a Messages request from a provider that does not speak Anthropic's API: the request is
 * translated to the canonical chat body, sent through the provider's adapter, and the answer
 * translated back, JSON as a `message`, streams event by event. `open` is one attempt (a
 * FailoverRunner runs it per target, with retries); `respond` turns what it opened into the answer.
 */
@Injectable()
export class TranslatedMessages {
  constructor(private readonly chat: ChatCompletionClient) {}

  /** The translation runs inside the attempt: a field this target cannot express lets the next target try. */
  async open(target: ResolvedTarget, body: Record<string, unknown>, stream: boolean, context: UpstreamCallContext): Promise<OpenedTranslation> {
    const request = toChatRequest(body, target.model);
    if (stream) {
      // Counted while the upstream thinks, for message_start (see MessageStreamTranslator.start).
      const inputEstimate = estimateInputTokens(body, target.model).catch(() => 0);
      return { kind: 'stream', request, inputEstimate, primed: await this.chat.openStreamOnce(target.provider, request.body, context) };
    }
    const { status, completion } = await this.chat.completeParsedOnce(target.provider, request.body, context);
    return { kind: 'json', request, status, completion };
  }

  respond(exchange: Exchange, opened: OpenedTranslation, body: Record<string, unknown>): RouteResult {
    // The client sees the model it asked for, as Anthropic echoes it.
    const model = body.model as string;
    const id = generateId('msg_', 12);
    if (opened.kind === 'json') return json(exchange, opened, id, model);
    exchange.upstreamStatus = opened.primed.status;
    exchange.firstTokenAt = performance.now();
    const translator = new MessageStreamTranslator(id, model, opened.request.stopSequences);
    return { kind: 'sse', status: 200, chunks: translatedEvents(exchange, opened.primed, translator, opened.inputEstimate), onError: errorEvent };
  }
}

function json(exchange: Exchange, opened: Extract<OpenedTranslation, { kind: 'json' }>, id: string, model: string): RouteResult {
  exchange.upstreamEndedAt = performance.now();
  exchange.upstreamStatus = opened.status;
  exchange.usage = usageFromOpenAI(opened.completion.usage);
  return jsonResult(200, toAnthropicMessage(opened.completion, id, model, opened.request.stopSequences));
}

/** One chunk per upstream event (so one flush each); nothing is held back. */
async function* translatedEvents(
  exchange: Exchange,
  primed: PrimedChatStream,
  translator: MessageStreamTranslator,
  inputEstimate: Promise<number>,
): AsyncGenerator<string, string> {
  let ended = false;
  try {
    let out = translator.start(await inputEstimate);
    let next: IteratorResult<string> = { done: false, value: primed.first };
    while (!next.done) {
      out += translator.push(next.value);
      if (out !== '') yield out;
      out = '';
      next = await primed.rest.next();
    }
    ended = true;
  } catch (error) {
    exchange.errorType = 'upstream_stream_error';
    throw error;
  } finally {
    exchange.upstreamEndedAt = performance.now();
    exchange.usage = translator.usage;
    // The client left or the translation failed: the upstream stream is let go at once.
    if (!ended) releaseChatStream(primed.rest);
  }
  return translator.finish();
}
