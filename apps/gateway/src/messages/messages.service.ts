import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type ResolvedTarget, RouterService, type UpstreamFailure } from '@app/providers';
import type { Exchange } from '../http/exchange';
import { upstreamSignal } from '../http/upstream-signal';
import { type MessagesBody, readMessagesBody, readRoutingFields, requireMessagesFields } from './messages-request';
import { spliceModel } from './native/model-splice';
import { NativeForwarder, nativeRequestHeaders } from './native/native-forwarder';
import { relayNativeAnswer } from './native/native-relay';
import { isNativeTarget, withUpstreamStatus } from './native/native-target';
import { TranslatedMessages } from './translate/translated-messages';

/**
 * Serves POST /v1/messages: natively (body untouched but for `model`, bytes relayed) when the
 * model resolves to an Anthropic provider, translated through the canonical chat form otherwise.
 */
@Injectable()
export class MessagesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly native: NativeForwarder,
    private readonly translated: TranslatedMessages,
  ) {}

  async create(exchange: Exchange): Promise<void> {
    exchange.response.setHeader('request-id', exchange.requestId);
    const message = await readMessagesBody(exchange.request, this.config);
    const fields = readRoutingFields(message.body);
    requireMessagesFields(message.body);
    exchange.stream = fields.stream;
    const target = this.router.resolve(fields.model);
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    // Streams have no overall deadline (they may legitimately run long); idle gaps are bounded upstream.
    const signal = upstreamSignal(exchange, fields.stream ? undefined : this.config.upstream.totalTimeoutMs);
    try {
      if (isNativeTarget(target)) await this.forward(exchange, target, message, signal);
      else await this.translated.serve(exchange, target, message.body, signal);
    } catch (error) {
      exchange.upstreamStatus = (error as UpstreamFailure).upstreamStatus ?? 'error';
      throw isNativeTarget(target) ? withUpstreamStatus(error) : error;
    }
  }

  private async forward(exchange: Exchange, target: ResolvedTarget, message: MessagesBody, signal: AbortSignal): Promise<void> {
    const body = spliceModel(message.raw, target.model);
    const headers = nativeRequestHeaders(exchange.request.headers);
    const answer = await this.native.send(target, '/messages', headers, body, exchange.requestId, signal);
    await relayNativeAnswer(exchange, answer, true);
  }
}
