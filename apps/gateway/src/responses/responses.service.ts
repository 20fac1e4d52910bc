import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError } from '@app/core';
import { type PrimedChatStream, type ResolvedTarget, type RoutePlan, RouterService, type UpstreamCallContext } from '@app/providers';
import {
  hasNativeResponses,
  type JsonObject,
  type JsonRun,
  type PreparedResponse,
  readResponseRequest,
  requestParams,
  ResponseHistory,
  type ResponseRequestFields,
  ResponseStore,
  TranslatedRunner,
} from '@app/responses';
import type { Exchange } from '../pipeline/exchange';
import type { Execution, RouteOutcome, RouteResult } from '../pipeline/route-result';
import { clientInputItems, historyForNative } from './native-history';
import { type NativeCall, type NativeOpened, NativeResponder } from './native-responder';
import { TranslatedResponder } from './translated-responder';

type Opened =
  | { readonly kind: 'native'; readonly call: NativeCall; readonly answer: NativeOpened }
  | { readonly kind: 'json'; readonly prepared: PreparedResponse; readonly result: JsonRun }
  | { readonly kind: 'stream'; readonly prepared: PreparedResponse; readonly primed: PrimedChatStream };

const isNative = (target: ResolvedTarget) => hasNativeResponses(target.provider.config);

/**
 * Serves POST /v1/responses along the request's route plan. Per target: forwarded natively to a
 * provider with the Responses API, translated through chat completions otherwise, so a plan
 * [openai, gemini] forwards natively first and translates for Gemini only if OpenAI could not serve.
 */
@Injectable()
export class ResponsesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly router: RouterService,
    private readonly runner: TranslatedRunner,
    private readonly store: ResponseStore,
    private readonly history: ResponseHistory,
    private readonly translated: TranslatedResponder,
    private readonly native: NativeResponder,
  ) {}

  async create(exchange: Exchange): Promise<RouteOutcome> {
    const body = exchange.body;
    const fields = readResponseRequest(body);
    exchange.stream = fields.stream;
    const plan = this.router.plan(fields.model);
    if (fields.background && !isNative(plan.targets[0]))
      return { kind: 'admitted', plan: { ...plan, targets: [plan.targets[0]] }, run: () => this.enqueue(exchange, body, fields, plan.targets[0]) };
    // A native background run is the provider's own: it fails over among the plan's native
    // targets only, since a failed forward cannot become a queued translated run half-way.
    const served = fields.background ? { ...plan, targets: plan.targets.filter(isNative) } : plan;
    const attempt = await this.attemptFor(exchange, body, fields, served);
    return {
      kind: 'execute',
      plan: served,
      deadlineMs: fields.stream ? undefined : this.config.upstream.totalTimeoutMs,
      attempt,
      respond: (value) => {
        if (value.kind === 'native') return this.native.respond(exchange, value.call, value.answer);
        if (value.kind === 'json') return this.translated.respondJson(exchange, value.prepared, value.result);
        return this.translated.respondStream(exchange, value.prepared, value.primed);
      },
    } satisfies Execution<Opened>;
  }

  /**
   * A translated background response: stored as queued and run by the worker (which fails over).
   * Admitted like any request (a spent budget refuses it); the 200 releases its budget reservation
   * and the run charges its true cost when it ends, and its concurrency slot ends with the 200.
   */
  private async enqueue(exchange: Exchange, body: JsonObject, fields: ResponseRequestFields, target: ResolvedTarget): Promise<RouteResult> {
    exchange.provider = target.provider.name;
    exchange.model = target.model;
    if (fields.stream) {
      throw GatewayError.invalidRequest("'stream' cannot be combined with 'background' for this provider; poll the response instead.", 'stream', 'unsupported_value');
    }
    const prepared = await this.runner.prepare({ body, fields, target, keyId: exchange.caller.keyId, userPath: exchange.caller.userPath, status: 'queued' });
    const queued = await this.translated.background(prepared);
    exchange.costChargedLater = true;
    return queued;
  }

  /**
   * The per-target attempt. Storage reads (history, prior turns) happen once, before any attempt:
   * inside one they would be retried and counted against the provider. A request the translation
   * refuses is not refused outright when a native target may still serve it: the refusal becomes
   * the translated targets' attempt failure, and the runner decides.
   */
  private async attemptFor(
    exchange: Exchange,
    body: JsonObject,
    fields: ResponseRequestFields,
    plan: RoutePlan,
  ): Promise<(target: ResolvedTarget, context: UpstreamCallContext) => Promise<Opened>> {
    const hasNative = plan.targets.some(isNative);
    const firstTranslated = plan.targets.find((target) => !isNative(target));
    const prepared = firstTranslated
      ? await this.runner
          .prepare({ body, fields, target: firstTranslated, keyId: exchange.caller.keyId, userPath: exchange.caller.userPath, status: 'in_progress' })
          .catch((error: unknown) => {
            if (hasNative && error instanceof GatewayError) return error;
            throw error;
          })
      : undefined;
    const historyOf = hasNative ? await this.nativeHistories(fields, plan) : () => undefined;
    return async (target, context) => {
      if (isNative(target)) {
        const call = nativeCall(exchange, body, fields, target, historyOf(target));
        return { kind: 'native', call, answer: await this.native.open(target.provider, call.body, fields.stream, context) };
      }
      if (prepared instanceof GatewayError) throw prepared;
      // Unreachable: with no translated target every target is native and answered above.
      if (!prepared) throw new Error('No translated target was prepared for a translated attempt');
      const forTarget = this.runner.withTarget(prepared, target);
      if (fields.stream) return { kind: 'stream', prepared: forTarget, primed: await this.runner.openStreamOnce(forTarget, context) };
      return { kind: 'json', prepared: forTarget, result: await this.runner.runJsonOnce(forTarget, context) };
    };
  }

  /**
   * Prior items to send along to each native target, or undefined when the upstream resolves the
   * chain itself: a previous response served natively by that same provider (or unknown to the
   * gateway, e.g. stored only upstream) is left to the provider; anything else is rebuilt from the store.
   */
  private async nativeHistories(fields: ResponseRequestFields, plan: RoutePlan): Promise<(target: ResolvedTarget) => JsonObject[] | undefined> {
    if (fields.conversationId) {
      const items = (await this.history.prior(fields)).items;
      return () => items;
    }
    const previous = fields.previousResponseId ? await this.store.find(fields.previousResponseId) : undefined;
    if (!previous) return () => undefined;
    const upstreamResolves = (target: ResolvedTarget) => previous.native && previous.provider === target.provider.name;
    const needed = plan.targets.some((target) => isNative(target) && !upstreamResolves(target));
    const chain = needed ? await this.store.chainItems(previous) : undefined;
    return (target) => (upstreamResolves(target) ? undefined : chain);
  }
}

function nativeCall(exchange: Exchange, body: JsonObject, fields: ResponseRequestFields, target: ResolvedTarget, history: JsonObject[] | undefined): NativeCall {
  const forwarded: JsonObject = { ...body, model: target.model };
  if (history) {
    forwarded.input = [...historyForNative(history), ...clientInputItems(body.input)];
    delete forwarded.previous_response_id;
    delete forwarded.conversation;
  }
  return { provider: target.provider, model: target.model, body: forwarded, fields, params: requestParams(body), keyId: exchange.caller.keyId, userPath: exchange.caller.userPath };
}
