import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { generateId, usageFromOpenAI } from '@app/core';
import { ChatCompletionClient, type PrimedChatStream, releaseChatStream, type ResolvedTarget, type UpstreamCallContext } from '@app/providers';
import type { Exchange } from '../../http/exchange';
import { estimateInputTokens } from '../count-tokens-estimate';
import { errorEvent, SSE_HEADERS } from '../messages-sse';
import { type ChatRequestPlan, toChatRequest } from './chat-request';
import { toAnthropicMessage } from './message-response';
import { MessageStreamTranslator } from './message-stream-translator';

/** A translated Messages call whose upstream answer (or first stream event) is in hand. */
export type OpenedTranslation =
  | { readonly kind: 'json'; readonly request: ChatRequestPlan; readonly status: number; readonly completion: Record<string, any> }
  | { readonly kind: 'stream'; readonly request: ChatRequestPlan; readonly primed: PrimedChatStream; readonly inputEstimate: Promise<number> };

/**
 * Serves a Messages request from a provider that does not speak Anthropic's API: the request is
 * translated to the canonical chat body, sent through the provider's adapter, and the answer
 * translated back, JSON as a `message`, streams event by event. `open` is one attempt (a
 * FailoverRunner runs it per target, with retries); `respond` writes what it opened.
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

  async respond(exchange: Exchange, opened: OpenedTranslation, body: Record<string, unknown>): Promise<void> {
    // The client sees the model it asked for, as Anthropic echoes it.
    const model = body.model as string;
    const id = generateId('msg_', 12);
    if (opened.kind === 'json') return this.json(exchange, opened, id, model);
    exchange.upstreamStatus = opened.primed.status;
    exchange.firstTokenAt = performance.now();
    const translator = new MessageStreamTranslator(id, model, opened.request.stopSequences);
    await relay(exchange, opened.primed, translator, await opened.inputEstimate);
  }

  private json(exchange: Exchange, opened: Extract<OpenedTranslation, { kind: 'json' }>, id: string, model: string): void {
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = opened.status;
    exchange.usage = usageFromOpenAI(opened.completion.usage);
    const text = JSON.stringify(toAnthropicMessage(opened.completion, id, model, opened.request.stopSequences));
    exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    exchange.response.end(text);
  }
}

/** One write per upstream event (so one flush each); nothing is held back. */
async function relay(exchange: Exchange, primed: PrimedChatStream, translator: MessageStreamTranslator, inputEstimate: number): Promise<void> {
  const { response } = exchange;
  response.writeHead(200, SSE_HEADERS);
  try {
    let out = translator.start(inputEstimate);
    let next: IteratorResult<string> = { done: false, value: primed.first };
    while (!next.done) {
      if (response.destroyed) {
        // The client left: the abort signal has already cancelled the upstream call.
        releaseChatStream(primed.rest);
        return;
      }
      out += translator.push(next.value);
      if (out !== '') response.write(out);
      out = '';
      next = await primed.rest.next();
    }
    exchange.upstreamEndedAt = performance.now();
    exchange.usage = translator.usage;
    response.end(translator.finish());
  } catch (error) {
    exchange.upstreamEndedAt = performance.now();
    exchange.usage = translator.usage;
    exchange.errorType = 'upstream_stream_error';
    // A translation failure leaves the upstream stream open: let it go.
    releaseChatStream(primed.rest);
    if (!response.destroyed) response.end(errorEvent(error));
  }
}
