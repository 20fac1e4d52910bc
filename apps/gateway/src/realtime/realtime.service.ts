import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GatewayError, resolveRequestId } from '@app/core';
import { ProviderRegistry, type ResolvedTarget, RouterService, type RoutePlan } from '@app/providers';
import { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { ANONYMOUS } from '../auth/caller';
import { parsePassthroughUrl, upstreamPath } from '../passthrough/passthrough-url';
import { PassthroughProviders } from '../passthrough/passthrough-providers';
import { ModelAccess } from '../governance/model-access';
import { Admission } from '../pipeline/admission';
import type { Exchange } from '../pipeline/exchange';
import { adoptProtocolKey } from './realtime-handshake';
import type { RealtimeRoute } from './realtime-session';
import { type RealtimeAsk, realtimeUpstreamHeaders, realtimeUpstreamUrl, servesRealtime, webSocketScheme } from './realtime-upstream';
import { RealtimeUsage } from './realtime-usage';

/** Usage `endpoint` and metrics route of the two realtime entry points. */
export const REALTIME_ROUTE = '/v1/realtime';
export const PASSTHROUGH_REALTIME_ROUTE = '/p/{provider}/v1/realtime';

/** A session ready to be upgraded: authenticated, resolved and admitted. */
export interface PreparedSession {
  readonly exchange: Exchange;
  readonly route: RealtimeRoute;
}

/**
 * Decides whether an upgrade request may become a session, before its upgrade completes: the
 * gateway key (header, or the browser key subprotocol), the model through the router (aliases,
 * fallbacks), admission. Every refusal is a GatewayError, answered as HTTP in the OpenAI envelope.
 */
@Injectable()
export class RealtimeService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly router: RouterService,
    private readonly registry: ProviderRegistry,
    private readonly passthroughProviders: PassthroughProviders,
    private readonly admission: Admission,
    private readonly usage: RealtimeUsage,
    private readonly access: ModelAccess,
  ) {}

  /** `GET /v1/realtime?model=…` (or `?intent=transcription`, or `?call_id=…`). */
  async prepare(request: IncomingMessage, response: ServerResponse): Promise<PreparedSession> {
    const exchange = this.exchange(request, response, REALTIME_ROUTE);
    const query = new URL(request.url ?? '/', 'http://gateway').searchParams;
    const { plan, ask } = this.plan(query);
    exchange.body = { model: plan.selector };
    const route: RealtimeRoute = {
      plan,
      connection: (target) => ({
        url: realtimeUpstreamUrl(target.provider.config, ask(target)),
        headers: realtimeUpstreamHeaders(request.headers, exchange.requestId, target.provider.config),
      }),
    };
    await this.admit(exchange, plan);
    return { exchange, route };
  }

  /**
   * `/p/{provider}/…/realtime`: the provider named, the path and query as the client gave them
   * (credential parameters removed). Admitted as HTTP passthrough is: for the model the query
   * names (access, limits, budgets), or with limits only when it names none, which a key limited
   * to some models may not do (the session could ask for any model).
   */
  async preparePassthrough(request: IncomingMessage, response: ServerResponse): Promise<PreparedSession> {
    const exchange = this.exchange(request, response, PASSTHROUGH_REALTIME_ROUTE);
    const url = parsePassthroughUrl(request.url ?? '/');
    const instance = this.passthroughProviders.resolve(url.provider);
    if (!servesRealtime(instance.config)) throw notRealtime(instance.name);
    const query = new URLSearchParams(url.query);
    const model = query.get('model') ?? query.get('deployment') ?? undefined;
    const target: ResolvedTarget = { provider: instance, model: model ?? '' };
    const upstream = webSocketScheme(instance.config.baseUrl) + upstreamPath(url, instance.config.baseUrl);
    const route: RealtimeRoute = {
      plan: { selector: instance.name, targets: [target] },
      connection: () => ({ url: upstream, headers: realtimeUpstreamHeaders(request.headers, exchange.requestId, instance.config) }),
    };
    exchange.provider = instance.name;
    if (model === undefined && this.access.isRestricted(exchange.caller)) {
      throw new GatewayError('permission', 'This API key may use only some models, so a realtime passthrough must name its model (?model=…).', {
        code: 'model_not_allowed',
        param: 'model',
      });
    }
    if (model !== undefined) exchange.body = { model };
    await this.admit(exchange, model === undefined ? { selector: '', targets: [] } : { selector: model, targets: [target] });
    return { exchange, route };
  }

  /** The Exchange a session lives in (as the pipeline's requests do), its caller authenticated. */
  private exchange(request: IncomingMessage, response: ServerResponse, route: string): Exchange {
    if (!this.config.realtime.enabled) {
      throw new GatewayError('not_implemented', 'The Realtime API is turned off on this gateway (REALTIME_ENABLED=false).', { code: 'realtime_disabled' });
    }
    const requestId = resolveRequestId(request.headers['x-request-id']);
    response.setHeader('x-request-id', requestId);
    adoptProtocolKey(request);
    const exchange: Exchange = { request, response, requestId, startedAt: performance.now(), route, caller: ANONYMOUS, bodyText: '', body: {}, stream: true };
    exchange.caller = this.authenticator.authorize(request, 'inference');
    return exchange;
  }

  /** The plan and, per target, what to ask its upstream for. */
  private plan(query: URLSearchParams): { plan: RoutePlan; ask: (target: ResolvedTarget) => RealtimeAsk } {
    const callId = query.get('call_id');
    if (callId) return { plan: this.sidebandPlan(), ask: () => ({ callId }) };
    const intent = query.get('intent');
    if (intent !== null && intent !== 'transcription') throw GatewayError.invalidRequest(`Unknown intent '${intent}': the Realtime API knows 'transcription'.`, 'intent');
    const model = query.get('model') ?? query.get('deployment') ?? (intent === 'transcription' ? this.config.realtime.transcriptionModel : null);
    if (!model) throw GatewayError.invalidRequest('Name the model as a query parameter: /v1/realtime?model=<model>.', 'model');
    const resolved = this.router.plan(model);
    const targets = resolved.targets.filter((target) => servesRealtime(target.provider.config));
    if (targets.length === 0) throw notRealtime(resolved.targets.map((target) => target.provider.name).join(', '));
    return { plan: { ...resolved, targets }, ask: (target) => ({ model: target.model, transcription: intent === 'transcription' }) };
  }

  /**
   * A sideband connection joins a call that already exists (created over WebRTC or SIP), so it has
   * no model to route by: it goes to the first realtime-capable provider, an `openai` one first.
   * `/p/{provider}/v1/realtime?call_id=…` names another.
   */
  private sidebandPlan(): RoutePlan {
    const capable = this.registry.all().filter((instance) => servesRealtime(instance.config));
    const provider = capable.find((instance) => instance.config.type === 'openai') ?? capable[0];
    if (!provider) throw notRealtime('any configured provider');
    return { selector: provider.name, targets: [{ provider, model: '' }] };
  }

  /** Admission before the upgrade; a refusal settles what was admitted before it and is recorded, as on the pipeline. */
  private async admit(exchange: Exchange, plan: RoutePlan): Promise<void> {
    if (this.admission.empty) return;
    try {
      await this.admission.admit(exchange, plan);
    } catch (error) {
      const status = error instanceof GatewayError ? error.status : 500;
      this.admission.settle(exchange, { status, completed: false, errorType: exchange.errorType ?? 'rejected' });
      this.usage.record(exchange, { startedAt: new Date(), latencyMs: performance.now() - exchange.startedAt, status, errorType: exchange.errorType ?? 'rejected' });
      throw error;
    }
  }
}

function notRealtime(providers: string): GatewayError {
  return GatewayError.invalidRequest(`The Realtime API is served by OpenAI-compatible and Azure OpenAI providers, not by ${providers}.`, 'model', 'realtime_not_supported');
}
