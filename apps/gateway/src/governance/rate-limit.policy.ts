import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { GovernanceMetrics, type LimitCheck, type LimitVerdict, RATE_LIMIT_STORE, type RateLimitStore, rateLimitHeaders } from '@app/governance';
import type { RoutePlan } from '@app/providers';
import { type AdmissionOutcome, type AdmissionPolicy, Rejection } from '../pipeline/admission';
import type { Exchange } from '../pipeline/exchange';
import { LimitChecks } from './limit-checks';
import { requestTokens } from './request-tokens';
import { ThrottledWarning } from './throttled-warning';

interface LimitHold {
  readonly checks: readonly LimitCheck[];
  readonly leaseId: string;
  readonly tokens: number;
}

const UNIT: Record<string, string> = { requests: 'requests per minute', tokens: 'tokens per minute', concurrency: 'requests in flight' };

function describe(check: LimitCheck): string {
  const colon = check.subject.indexOf(':');
  const scope = check.subject.slice(0, colon);
  const name = check.subject.slice(colon + 1);
  return scope === 'key' ? `key '${name}'` : scope === 'user' ? `user path '${name}'` : `model '${name}'`;
}

function limitOf(check: LimitCheck, kind: string): number | undefined {
  return kind === 'requests' ? check.requestsPerMinute : kind === 'tokens' ? check.tokensPerMinute : check.maxParallel;
}

/**
 * Rate limits (requests and tokens per minute, requests in flight) of the key, the user path and
 * the model, checked in one store call. Admitted requests carry the rate-limit headers of their
 * dialect; refused ones get a 429 with `retry-after`. The tokens counted are the request's bound
 * (input + maximum output), corrected to the true usage when it settles.
 */
@Injectable()
export class RateLimitPolicy implements AdmissionPolicy<LimitHold | null> {
  private readonly checks: LimitChecks;
  private readonly outage = new ThrottledWarning(new Logger(RateLimitPolicy.name));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly metrics: GovernanceMetrics,
  ) {
    this.checks = new LimitChecks(config.governance.limits);
  }

  admit(exchange: Exchange, plan: RoutePlan): null | Promise<LimitHold | null | Rejection> {
    const checks = this.checks.for(exchange.caller, plan.selector || undefined);
    // No limit applies: decided without an await (the hot path of most callers).
    return checks.length === 0 ? null : this.acquire(exchange, plan, checks);
  }

  private async acquire(exchange: Exchange, plan: RoutePlan, checks: readonly LimitCheck[]): Promise<LimitHold | null | Rejection> {
    const model = plan.targets[0]?.model ?? exchange.model ?? '';
    const bound = checks.some((check) => check.tokensPerMinute) ? await requestTokens(exchange, model, this.config.governance.defaultMaxOutputTokens) : undefined;
    const hold: LimitHold = { checks, leaseId: randomUUID(), tokens: bound ? bound.input + bound.maxOutput : 0 };
    let verdict: LimitVerdict;
    try {
      verdict = await this.store.acquire({ ...hold, leaseTtlMs: this.config.governance.leaseTtlMs });
    } catch (error) {
      return this.storeFailed(error);
    }
    if (!verdict.allowed) return this.refuse(checks, verdict);
    const dialect = exchange.route.startsWith('/v1/messages') ? 'anthropic' : 'openai';
    const headers = rateLimitHeaders(dialect, verdict.states, Date.now());
    // Set on the response before any head is written: the responder's writeHead merges them.
    for (const name in headers) exchange.response.setHeader(name, headers[name]);
    return hold;
  }

  settle(hold: LimitHold | null, outcome: AdmissionOutcome): void {
    if (hold === null || !hold.checks.some((check) => check.tokensPerMinute || check.maxParallel)) return;
    const used = outcome.usage ? outcome.usage.inputTokens + outcome.usage.outputTokens : outcome.status >= 400 ? 0 : hold.tokens;
    this.store
      .release({ checks: hold.checks, leaseId: hold.leaseId, reservedTokens: hold.tokens, usedTokens: used })
      .catch(() => this.metrics.settleFailures.inc({ check: 'rate_limit' }));
  }

  private refuse(checks: readonly LimitCheck[], verdict: LimitVerdict): Rejection {
    const { index, kind, retryAfterMs } = verdict.refused!;
    this.metrics.rateLimited.inc({ kind });
    const check = checks[index];
    const seconds = Math.ceil(retryAfterMs / 1000);
    return new Rejection(429, `Rate limit reached for ${describe(check)}: ${limitOf(check, kind)} ${UNIT[kind]}. Try again in ${seconds}s.`, 'rate_limit_exceeded', retryAfterMs);
  }

  private storeFailed(error: unknown): null | Rejection {
    const mode = this.config.governance.rateLimitRedisFailure;
    this.metrics.storeFailures.inc({ check: 'rate_limit', mode });
    this.outage.warn(`Rate-limit store unavailable (${(error as Error).message}); failing ${mode} (RATE_LIMIT_REDIS_FAILURE=${mode})`);
    if (mode === 'open') return null;
    return new Rejection(503, 'Rate limits cannot be checked right now; try again shortly.', 'rate_limiter_unavailable', 1000);
  }
}
