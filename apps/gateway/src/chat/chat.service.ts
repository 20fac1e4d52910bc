import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { usageFromOpenAI, usageOfJsonBody } from '@app/core';
import { ChatCompletionClient, type ResolvedTarget, RouterService, type UpstreamFailure } from '@app/providers';
import type { Exchange } from '../http/exchange';
import { readJsonBody } from '../http/json-body';
import { upstreamSignal } from '../http/upstream-signal';
import { readChatRoutingFields } from './chat-request';
import { relayChatStream } from './chat-stream-relay';

/** Serves POST /v1/chat/completions: route, call upstream with retries, relay the answer. */
@Injectable()
export class ChatService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly chat: ChatCompletionClient,
  ) {}

  async complete(exchange: Exchange): Promise<void> {
    const body = await readJsonBody(exchange.request, this.config);
    const fields = readChatRoutingFields(body);
    exchange.stream = fields.stream;
    const target = this.router.resolve(fields.model);
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    // Streams have no overall deadline (they may legitimately run long); idle gaps are bounded upstream.
    const signal = upstreamSignal(exchange, fields.stream ? undefined : this.config.upstream.totalTimeoutMs);
    const upstreamBody = { ...body, model: target.model };
    try {
      if (fields.stream) await this.stream(exchange, target, upstreamBody, signal, fields.clientWantsUsage);
      else await this.json(exchange, target, upstreamBody, signal);
    } catch (error) {
      exchange.upstreamStatus = (error as UpstreamFailure).upstreamStatus ?? 'error';
      throw error;
    }
  }

  private async json(exchange: Exchange, target: ResolvedTarget, body: Record<string, unknown>, signal: AbortSignal): Promise<void> {
    const result = await this.chat.complete(target.provider, body, { requestId: exchange.requestId, signal });
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = result.status;
    exchange.usage = usageFromOpenAI(usageOfJsonBody(result.body));
    exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': result.body.length });
    exchange.response.end(result.body);
  }

  private async stream(exchange: Exchange, target: ResolvedTarget, body: Record<string, unknown>, signal: AbortSignal, clientWantsUsage: boolean): Promise<void> {
    const primed = await this.chat.openStream(target.provider, body, { requestId: exchange.requestId, signal });
    exchange.upstreamStatus = primed.status;
    exchange.firstTokenAt = performance.now();
    await relayChatStream(exchange, primed.first, primed.rest, clientWantsUsage);
  }
}
