import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { generateId, usageFromOpenAI } from '@app/core';
import { ChatCompletionClient, type PrimedChatStream, releaseChatStream, type ResolvedTarget } from '@app/providers';
import type { Exchange } from '../../http/exchange';
import { errorEvent, SSE_HEADERS } from '../messages-sse';
import { type ChatRequestPlan, toChatRequest } from './chat-request';
import { toAnthropicMessage } from './message-response';
import { MessageStreamTranslator } from './message-stream-translator';

/**
 * Serves a Messages request from a provider that does not speak Anthropic's API: the request is
 * translated to the canonical chat body, sent through the provider's adapter (with retries before
 * the first byte), and the answer translated back, JSON as a `message`, streams event by event.
 */
@Injectable()
export class TranslatedMessages {
  constructor(private readonly chat: ChatCompletionClient) {}

  async serve(exchange: Exchange, target: ResolvedTarget, body: Record<string, unknown>, signal: AbortSignal): Promise<void> {
    const plan = toChatRequest(body, target.model);
    // The client sees the model it asked for, as Anthropic echoes it.
    const model = body.model as string;
    const id = generateId('msg_', 12);
    if (exchange.stream) await this.stream(exchange, target, plan, signal, new MessageStreamTranslator(id, model, plan.stopSequences));
    else await this.json(exchange, target, plan, signal, id, model);
  }

  private async json(exchange: Exchange, target: ResolvedTarget, plan: ChatRequestPlan, signal: AbortSignal, id: string, model: string): Promise<void> {
    const { status, completion } = await this.chat.completeParsed(target.provider, plan.body, { requestId: exchange.requestId, signal });
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = status;
    exchange.usage = usageFromOpenAI(completion.usage);
    const text = JSON.stringify(toAnthropicMessage(completion, id, model, plan.stopSequences));
    exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    exchange.response.end(text);
  }

  private async stream(exchange: Exchange, target: ResolvedTarget, plan: ChatRequestPlan, signal: AbortSignal, translator: MessageStreamTranslator): Promise<void> {
    const primed = await this.chat.openStream(target.provider, plan.body, { requestId: exchange.requestId, signal });
    exchange.upstreamStatus = primed.status;
    exchange.firstTokenAt = performance.now();
    await relay(exchange, primed, translator);
  }
}

/** One write per upstream event (so one flush each); nothing is held back. */
async function relay(exchange: Exchange, primed: PrimedChatStream, translator: MessageStreamTranslator): Promise<void> {
  const { response } = exchange;
  response.writeHead(200, SSE_HEADERS);
  try {
    let out = translator.start();
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
