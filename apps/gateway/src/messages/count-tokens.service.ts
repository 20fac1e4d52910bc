import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { isNativeTarget, readRoutingFields, requireMessages, withUpstreamStatus } from '@app/messages';
import { type PrimedUpstreamResponse, RouterService } from '@app/providers';
import { anthropicRequestHeaders, NativeForwarder } from '../native/native-forwarder';
import type { Exchange } from '../pipeline/exchange';
import { type Execution, jsonResult, type RouteOutcome } from '../pipeline/route-result';
import { estimateInputTokens } from './count-tokens-estimate';
import { spliceModel } from './native/model-splice';
import { nativeAnswerResult } from './native/native-relay';

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

  count(exchange: Exchange): RouteOutcome {
    const { body, bodyText } = exchange;
    const { model } = readRoutingFields(body);
    requireMessages(body);
    // Counting needs no failover: the plan's first target (an alias's weighted pick) answers.
    const plan = this.router.plan(model);
    const target = plan.targets[0];
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    // Counted locally, still admitted: rate limits apply to counting calls too (budgets do not: they cost nothing).
    if (!isNativeTarget(target))
      return { kind: 'admitted', plan: { ...plan, targets: [target] }, run: async () => jsonResult(200, { input_tokens: await estimateInputTokens(body, target.model) }) };
    const headers = anthropicRequestHeaders(exchange.request.headers);
    return {
      kind: 'execute',
      plan: { ...plan, targets: [target] },
      deadlineMs: this.config.upstream.totalTimeoutMs,
      attempt: (t, context) =>
        this.native.openOnce(t.provider, { method: 'POST', path: '/messages/count_tokens', headers, body: spliceModel(bodyText, t.model) }, context, 'anthropic'),
      respond: (answer) => nativeAnswerResult(exchange, answer, false),
      failed: withUpstreamStatus,
    } satisfies Execution<PrimedUpstreamResponse>;
  }
}
