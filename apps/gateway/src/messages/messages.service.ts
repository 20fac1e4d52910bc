import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { FailoverRunner, type PrimedUpstreamResponse, type ResolvedTarget, RouterService, type UpstreamCallContext, type UpstreamFailure } from '@app/providers';
import type { Exchange } from '../http/exchange';
import { markServedBy, nameAttempts } from '../http/served-by';
import { upstreamSignal } from '../http/upstream-signal';
import { type MessagesBody, readMessagesBody, readRoutingFields, requireMessagesFields } from './messages-request';
import { spliceModel } from './native/model-splice';
import { NativeForwarder, nativeRequestHeaders } from './native/native-forwarder';
import { relayNativeAnswer } from './native/native-relay';
import { isNativeTarget, withUpstreamStatus } from './native/native-target';
import { type OpenedTranslation, TranslatedMessages } from './translate/translated-messages';

type Opened = { readonly kind: 'native'; readonly answer: PrimedUpstreamResponse } | { readonly kind: 'translated'; readonly opened: OpenedTranslation };

/**
 * Serves POST /v1/messages along the request's route plan. Per target: natively (body untouched
 * but for `model`, bytes relayed) when it is an Anthropic provider, translated through the
 * canonical chat form otherwise — so a plan [anthropic, gemini] forwards natively first and
 * translates for Gemini only if Anthropic could not serve.
 */
@Injectable()
export class MessagesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly native: NativeForwarder,
    private readonly translated: TranslatedMessages,
    private readonly failover: FailoverRunner,
  ) {}

  async create(exchange: Exchange): Promise<void> {
    exchange.response.setHeader('request-id', exchange.requestId);
    const message = await readMessagesBody(exchange.request, this.config);
    const fields = readRoutingFields(message.body);
    requireMessagesFields(message.body);
    exchange.stream = fields.stream;
    const plan = this.router.plan(fields.model);
    // Streams have no overall deadline (they may legitimately run long); idle gaps are bounded upstream.
    const signal = upstreamSignal(exchange, fields.stream ? undefined : this.config.upstream.totalTimeoutMs);
    const context = { requestId: exchange.requestId, signal };
    const headers = nativeRequestHeaders(exchange.request.headers);
    let last: ResolvedTarget = plan.targets[0];
    const observe = nameAttempts(exchange);
    try {
      const { value, target } = await this.failover.run(plan, context, (t) => this.open(t, message, headers, fields.stream, context), (t, index) => {
        last = t;
        observe(t, index);
      });
      markServedBy(exchange, target);
      if (value.kind === 'native') await relayNativeAnswer(exchange, value.answer, true);
      else await this.translated.respond(exchange, value.opened, message.body);
    } catch (error) {
      exchange.upstreamStatus = (error as UpstreamFailure).upstreamStatus ?? 'error';
      throw isNativeTarget(last) ? withUpstreamStatus(error) : error;
    }
  }

  /** One attempt on one target; the native-or-translated choice is made here, per target. */
  private async open(target: ResolvedTarget, message: MessagesBody, headers: Record<string, string>, stream: boolean, context: UpstreamCallContext): Promise<Opened> {
    if (!isNativeTarget(target)) return { kind: 'translated', opened: await this.translated.open(target, message.body, stream, context) };
    const answer = await this.native.sendOnce(target, '/messages', headers, spliceModel(message.raw, target.model), context);
    return { kind: 'native', answer };
  }
}
