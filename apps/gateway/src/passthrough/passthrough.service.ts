import { Injectable } from '@nestjs/common';
import type { ProviderInstance, RawUpstreamRequest } from '@app/providers';
import { ModelAccess } from '../governance/model-access';
import type { Exchange } from '../pipeline/exchange';
import type { Admitted, RouteResult } from '../pipeline/route-result';
import { upstreamSignal } from '../pipeline/upstream-signal';
import { MAX_PEEKED_JSON_BYTES, outgoingBody } from './passthrough-body';
import { PassthroughForwarder } from './passthrough-forwarder';
import { upstreamRequestHeaders } from './passthrough-headers';
import { PassthroughProviders } from './passthrough-providers';
import { relayedAnswer } from './passthrough-relay';
import { parsePassthroughUrl, upstreamPath } from './passthrough-url';

type Method = RawUpstreamRequest['method'];

/** Methods whose repetition has no further effect (RFC 9110 §9.2.2), so a failed attempt may be repeated. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Serves `/p/{provider}/…`: forwards the request to the provider's native API and relays its
 * answer. No plan (the provider is named, not resolved), so no failover: the forwarder retries
 * what may be repeated on that one provider.
 */
@Injectable()
export class PassthroughService {
  constructor(
    private readonly providers: PassthroughProviders,
    private readonly forwarder: PassthroughForwarder,
    private readonly access: ModelAccess,
  ) {}

  /** Reads what routing needs (the model, from a small JSON body), then admits before anything goes upstream. */
  async forward(exchange: Exchange): Promise<Admitted> {
    const { request } = exchange;
    const url = parsePassthroughUrl(request.url ?? '/');
    const instance = this.providers.resolve(url.provider);
    exchange.provider = instance.name;
    const body = await outgoingBody(request);
    exchange.model = body.model;
    // A body naming a model is judged by the model-access policy at admission (its plan names it);
    // a body whose model cannot be read could name any model, so a key limited to some is refused here.
    if (body.model === undefined && body.body !== undefined) this.access.assertUnrestricted(exchange.caller, MAX_PEEKED_JSON_BYTES);
    const headers = upstreamRequestHeaders(request.headers, exchange.requestId);
    // A metered answer must be readable as it passes; compressed bytes would hide the usage.
    if (body.model) headers['accept-encoding'] = 'identity';
    const method = request.method as Method;
    const upstreamRequest: RawUpstreamRequest = { method, path: upstreamPath(url, instance.config.baseUrl), headers, body: body.body };
    const retryable = body.replayable && (IDEMPOTENT_METHODS.has(method) || request.headers['idempotency-key'] !== undefined);
    // No overall deadline: downloads and streams may run long; the pool bounds idle gaps.
    if (body.body && Buffer.isBuffer(body.body)) exchange.bodyText = body.body.toString('utf8');
    // A body naming a model is admitted for that provider's model (access, limits, budgets); without one, limits only.
    const plan = body.model === undefined ? undefined : { selector: body.model, targets: [{ provider: instance, model: body.model }] };
    return { kind: 'admitted', plan, run: () => this.send(exchange, instance, upstreamRequest, retryable, body.model !== undefined) };
  }

  private async send(exchange: Exchange, instance: ProviderInstance, upstreamRequest: RawUpstreamRequest, retryable: boolean, metered: boolean): Promise<RouteResult> {
    const context = { requestId: exchange.requestId, signal: upstreamSignal(exchange) };
    let answer;
    try {
      answer = await this.forwarder.send(instance, upstreamRequest, context, retryable);
    } catch (error) {
      exchange.upstreamStatus = 'error';
      throw error;
    }
    return relayedAnswer(exchange, answer, metered);
  }
}
