import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { usageFromOpenAI } from '@app/core';
import { ChatCompletionClient, FailoverRunner, type RoutePlan, RouterService, type UpstreamCallContext, type UpstreamFailure } from '@app/providers';
import type { Exchange } from '../http/exchange';
import { readJsonBody } from '../http/json-body';
import { markServedBy, nameAttempts } from '../http/served-by';
import { upstreamSignal } from '../http/upstream-signal';
import { readChatRoutingFields } from './chat-request';
import { relayChatStream } from './chat-stream-relay';

/** Serves POST /v1/chat/completions: plan the route, call upstream with retries and failover, relay the answer. */
@Injectable()
export class ChatService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly chat: ChatCompletionClient,
    private readonly failover: FailoverRunner,
  ) {}

  async complete(exchange: Exchange): Promise<void> {
    const body = await readJsonBody(exchange.request, this.config);
    const fields = readChatRoutingFields(body);
    exchange.stream = fields.stream;
    const plan = this.router.plan(fields.model);
    // Streams have no overall deadline (they may legitimately run long); idle gaps are bounded upstream.
    const signal = upstreamSignal(exchange, fields.stream ? undefined : this.config.upstream.totalTimeoutMs);
    const context = { requestId: exchange.requestId, signal };
    try {
      if (fields.stream) await this.stream(exchange, plan, body, context, fields.clientWantsUsage);
      else await this.json(exchange, plan, body, context);
    } catch (error) {
      exchange.upstreamStatus = (error as UpstreamFailure).upstreamStatus ?? 'error';
      throw error;
    }
  }

  private async json(exchange: Exchange, plan: RoutePlan, body: Record<string, unknown>, context: UpstreamCallContext): Promise<void> {
    const { value: result, target } = await this.failover.run(plan, context, (t) => this.chat.completeOnce(t.provider, { ...body, model: t.model }, context), nameAttempts(exchange));
    markServedBy(exchange, target);
    exchange.upstreamEndedAt = performance.now();
    exchange.upstreamStatus = result.status;
    exchange.usage = usageFromOpenAI(result.usage);
    exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': result.body.length });
    exchange.response.end(result.body);
  }

  /** The attempt resolves with the stream's first event: failover is over before the client sees a byte. */
  private async stream(exchange: Exchange, plan: RoutePlan, body: Record<string, unknown>, context: UpstreamCallContext, clientWantsUsage: boolean): Promise<void> {
    const { value: primed, target } = await this.failover.run(plan, context, (t) => this.chat.openStreamOnce(t.provider, { ...body, model: t.model }, context), nameAttempts(exchange));
    markServedBy(exchange, target);
    exchange.upstreamStatus = primed.status;
    exchange.firstTokenAt = performance.now();
    await relayChatStream(exchange, primed.first, primed.rest, clientWantsUsage);
  }
}
