import { Injectable, Logger } from '@nestjs/common';
import { GatewayError } from '@app/core';
import { endSpan, type FailoverReason, GatewayMetrics, runInSpan, type SpanAttributes, startAttemptSpan, type TraceSpan } from '@app/observability';
import type { UpstreamCallContext } from '../adapters/provider-adapter';
import type { ResolvedTarget, RoutePlan } from '../routing/route-plan';
import { UpstreamExecutor } from './upstream-executor';
import { UpstreamFailure } from './upstream-failure';

/** What a plan produced: the attempt's value and the target that produced it. */
export interface Served<T> {
  readonly value: T;
  readonly target: ResolvedTarget;
  /** The answering attempt's span (tracing on), left open for the caller to end with the usage. */
  readonly span?: TraceSpan;
}

/** Told about each target just before its attempt (e.g. to name it on the exchange's usage row). */
export type AttemptObserver = (target: ResolvedTarget, index: number) => void;

/**
 * Why a failed attempt may move on to the next target, or undefined when it must not: the provider
 * could not serve (429, 408, 5xx and 529, connect/reset/timeouts, an open circuit, an answer it
 * could not read), or the gateway could not express the request for that target's dialect (an
 * `invalid_request`/`not_implemented` raised by the translation, not by the upstream: another
 * dialect may well express it). Any other upstream 4xx is about the request itself and would get
 * the same answer from every target, so it goes back to the client at once.
 */
export function failoverReason(error: unknown): FailoverReason | undefined {
  if (error instanceof UpstreamFailure) {
    switch (error.reason) {
      case 'status':
        return statusReason(error.upstreamStatus);
      case 'connect':
      case 'reset':
      case 'protocol':
        return error.reason;
      case 'timeout':
      case 'first_byte_timeout':
        return 'timeout';
      default:
        return undefined;
    }
  }
  if (!(error instanceof GatewayError)) return undefined;
  if (error.code === 'provider_unavailable') return 'circuit_open';
  return error.kind === 'invalid_request' || error.kind === 'not_implemented' ? 'unsupported' : undefined;
}

function statusReason(status: number | undefined): FailoverReason | undefined {
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  return status !== undefined && status >= 500 ? 'server_error' : undefined;
}

/**
 * Runs one request along its RoutePlan. Each target's attempt goes through the UpstreamExecutor
 * (that provider's retries and circuit breaker); when it still fails for a reason the next target
 * could fix, the next target is tried. Attempts must resolve only once the answer's first byte is
 * in hand and nothing has reached the client, so every failover is invisible to it.
 * No failover after the signal aborted (the client left, or the request's overall deadline — which
 * covers the whole plan — passed). When every target failed, the error is the last target's: it
 * is the freshest word on the request, and its status tells the client whether to retry.
 */
@Injectable()
export class FailoverRunner {
  private readonly logger = new Logger(FailoverRunner.name);

  constructor(
    private readonly executor: UpstreamExecutor,
    private readonly metrics: GatewayMetrics,
  ) {}

  async run<T>(plan: RoutePlan, context: UpstreamCallContext, attempt: (target: ResolvedTarget) => Promise<T>, onAttempt?: AttemptObserver): Promise<Served<T>> {
    const { targets } = plan;
    for (let index = 0; ; index++) {
      const target = targets[index];
      onAttempt?.(target, index);
      const span = startAttemptSpan(`chat ${target.model}`, attemptAttributes(target, index));
      try {
        const call = () => this.executor.execute(target.provider, context.signal, () => attempt(target));
        // Inside the attempt's span, so the adapter's request carries its traceparent.
        const value = await (span ? runInSpan(span, call) : call());
        return { value, target, span };
      } catch (error) {
        endSpan(span, { 'error.type': (error as { kind?: string }).kind ?? 'error', 'http.response.status_code': (error as { upstreamStatus?: number }).upstreamStatus }, true);
        const next = targets[index + 1];
        const reason = next === undefined || context.signal.aborted ? undefined : failoverReason(error);
        if (reason === undefined) throw error;
        this.metrics.countFailover(target.provider.name, next.provider.name, reason);
        this.logger.warn({
          msg: 'target failed before the first byte; trying the next target of the plan',
          requestId: context.requestId,
          selector: plan.selector,
          from: `${target.provider.name}/${target.model}`,
          to: `${next.provider.name}/${next.model}`,
          reason,
          status: (error as { status?: number }).status,
          upstreamStatus: (error as { upstreamStatus?: number }).upstreamStatus,
        });
      }
    }
  }
}

/** GenAI semantic-convention attributes of one attempt (tracing on only). */
function attemptAttributes(target: ResolvedTarget, index: number): SpanAttributes {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': target.provider.config.type,
    'gen_ai.system': target.provider.config.type,
    'gen_ai.request.model': target.model,
    'gen_ai.response.model': target.model,
    'switchyard.provider': target.provider.name,
    'switchyard.attempt': index,
  };
}
