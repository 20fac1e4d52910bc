import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { isNativeTarget, readRoutingFields, requireMessagesFields, withUpstreamStatus } from '@app/messages';
import { type PrimedUpstreamResponse, type ResolvedTarget, RouterService, type UpstreamCallContext } from '@app/providers';
import { anthropicRequestHeaders, NativeForwarder } from '../native/native-forwarder';
import type { Exchange } from '../pipeline/exchange';
import type { Execution, RouteResult } from '../pipeline/route-result';
import { spliceModel } from './native/model-splice';
import { nativeAnswerResult } from './native/native-relay';
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
  ) {}

  create(exchange: Exchange): Execution<Opened> {
    const { body, bodyText } = exchange;
    const fields = readRoutingFields(body);
    requireMessagesFields(body);
    exchange.stream = fields.stream;
    const headers = anthropicRequestHeaders(exchange.request.headers);
    return {
      kind: 'execute',
      plan: this.router.plan(fields.model),
      // Streams have no overall deadline (they may legitimately run long); idle gaps are bounded upstream.
      deadlineMs: fields.stream ? undefined : this.config.upstream.totalTimeoutMs,
      attempt: (target, context) => this.open(target, bodyText, body, headers, fields.stream, context),
      respond: (value): RouteResult | Promise<RouteResult> =>
        value.kind === 'native' ? nativeAnswerResult(exchange, value.answer, true) : this.translated.respond(exchange, value.opened, body),
      failed: (error, last) => (isNativeTarget(last) ? withUpstreamStatus(error) : error),
    };
  }

  /** One attempt on one target; the native-or-translated choice is made here, per target. */
  private async open(
    target: ResolvedTarget,
    raw: string,
    body: Record<string, unknown>,
    headers: Record<string, string>,
    stream: boolean,
    context: UpstreamCallContext,
  ): Promise<Opened> {
    if (!isNativeTarget(target)) return { kind: 'translated', opened: await this.translated.open(target, body, stream, context) };
    const request = { method: 'POST' as const, path: '/messages', headers, body: spliceModel(raw, target.model) };
    return { kind: 'native', answer: await this.native.openOnce(target.provider, request, context, 'anthropic') };
  }
}
