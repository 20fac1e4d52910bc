import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { RouterService, type UpstreamFailure } from '@app/providers';
import type { Exchange } from '../http/exchange';
import { upstreamSignal } from '../http/upstream-signal';
import { estimateInputTokens } from './count-tokens-estimate';
import { readMessagesBody, readRoutingFields, requireMessages } from './messages-request';
import { spliceModel } from './native/model-splice';
import { NativeForwarder, nativeRequestHeaders } from './native/native-forwarder';
import { relayNativeAnswer } from './native/native-relay';
import { isNativeTarget, withUpstreamStatus } from './native/native-target';

/**
 * Serves POST /v1/messages/count_tokens: Anthropic's own count when the model is on an Anthropic
 * provider, else a local estimate (see count-tokens-estimate.ts), answered as `{"input_tokens"}`.
 */
@Injectable()
export class CountTokensService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly native: NativeForwarder,
  ) {}

  async count(exchange: Exchange): Promise<void> {
    exchange.response.setHeader('request-id', exchange.requestId);
    const message = await readMessagesBody(exchange.request, this.config);
    const { model } = readRoutingFields(message.body);
    requireMessages(message.body);
    // Counting needs no failover: the plan's first target (an alias's weighted pick) answers.
    const target = this.router.plan(model).targets[0];
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    if (!isNativeTarget(target)) return this.estimate(exchange, message.body, target.model);
    const signal = upstreamSignal(exchange, this.config.upstream.totalTimeoutMs);
    const body = spliceModel(message.raw, target.model);
    try {
      const answer = await this.native.send(target, '/messages/count_tokens', nativeRequestHeaders(exchange.request.headers), body, exchange.requestId, signal);
      await relayNativeAnswer(exchange, answer, false);
    } catch (error) {
      exchange.upstreamStatus = (error as UpstreamFailure).upstreamStatus ?? 'error';
      throw withUpstreamStatus(error);
    }
  }

  private async estimate(exchange: Exchange, body: Record<string, unknown>, model: string): Promise<void> {
    const text = JSON.stringify({ input_tokens: await estimateInputTokens(body, model) });
    exchange.response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    exchange.response.end(text);
  }
}
