import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  ADMISSION_STORE,
  type AdmissionStore,
  BudgetExceeded,
  type BudgetHold,
  type BudgetPlan,
  BudgetsService,
  type GovernanceAdmit,
  type GovernanceVerdict,
  GovernanceMetrics,
  type LimitAcquire,
  type LimitCheck,
  type PricedTarget,
  rateLimitHeaders,
  SPEND_PRICING,
  type SpendPricing,
} from '@app/governance';
import type { RoutePlan } from '@app/providers';
import { type AdmissionOutcome, type AdmissionPolicy, Rejection } from '../pipeline/admission';
import type { Exchange } from '../pipeline/exchange';
import { limitRejection } from './limit-rejection';
import { LimitChecks } from './limit-checks';
import { FREE_ROUTES, type RequestTokens, requestTokens } from './request-tokens';
import { ThrottledWarning } from './throttled-warning';

/** What a decision is made of, before the store is asked. */
interface Decision {
  readonly exchange: Exchange;
  readonly checks: readonly LimitCheck[];
  readonly budgets: BudgetPlan | null;
  readonly target?: PricedTarget;
  /** A check has a token limit: the request's token bound is counted against it. */
  readonly countsTokens: boolean;
  /** A budget covers the request and its target can be priced: its maximum cost is reserved. */
  readonly priced: boolean;
}

/** A decision in progress: what the store is asked, and what its answer is read against. */
interface PendingAdmission extends Decision {
  readonly request: GovernanceAdmit;
}

/** What an admitted request holds until it settles: a limit lease, a budget reservation, or both. */
interface GovernanceHold {
  readonly limits?: LimitAcquire;
  readonly budget?: BudgetHold;
  /** The priced target the reservation was estimated for (the settlement prices the one that served). */
  readonly target?: PricedTarget;
}

/**
 * Rate limits (requests and tokens per minute, requests in flight, of the key, the user path and
 * the model) and budgets, decided in one store call and settled in one.
 *
 * - Limits count the request's token bound (input + maximum output), corrected to the true usage
 *   when it settles. Admitted requests carry the rate-limit headers of their dialect; refused ones
 *   get a 429 with `retry-after`.
 * - Budgets reserve the request's maximum cost (local input count × input price + maximum output
 *   × output price) against every budget its key and user path fall under, then settle to the true
 *   cost from its usage. A model without a known price reserves and is charged 0, counted by
 *   `switchyard_budget_unpriced_requests_total`; a spent budget still refuses it.
 * - A refusal by either adds nothing to the other (one atomic step in the store).
 */
@Injectable()
export class GovernancePolicy implements AdmissionPolicy<GovernanceHold | null> {
  private readonly checks: LimitChecks;
  private readonly outage = new ThrottledWarning(new Logger(GovernancePolicy.name));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ADMISSION_STORE) private readonly store: AdmissionStore,
    private readonly budgets: BudgetsService,
    private readonly metrics: GovernanceMetrics,
    @Optional() @Inject(SPEND_PRICING) private readonly pricing?: SpendPricing,
  ) {
    this.checks = new LimitChecks(config.governance.limits);
  }

  admit(exchange: Exchange, plan: RoutePlan): null | Promise<GovernanceHold | null | Rejection> {
    const checks = this.checks.for(exchange.caller, plan.selector || undefined);
    const budgets = FREE_ROUTES.has(exchange.route) ? null : this.budgets.plan(exchange.caller);
    // Nothing limits the caller and no budget covers it: decided without an await (the hot path of most callers).
    if (checks.length === 0 && budgets === null) return null;
    return this.decide(exchange, plan, checks, budgets);
  }

  // Written with then() rather than async/await: a governed request runs this on every call, and
  // each await costs promises (and async-context hooks) the decision does not need.
  private decide(exchange: Exchange, plan: RoutePlan, checks: readonly LimitCheck[], budgets: BudgetPlan | null): Promise<GovernanceHold | null | Rejection> {
    const target = targetOf(exchange, plan);
    const decision: Decision = {
      exchange,
      checks,
      budgets,
      target,
      countsTokens: checks.some((check) => check.tokensPerMinute),
      priced: budgets !== null && target !== undefined && this.pricing !== undefined,
    };
    if (!decision.countsTokens && !decision.priced) return this.admitWith(decision, undefined);
    const counted = requestTokens(exchange, target?.model ?? exchange.model ?? '', this.config.governance.defaultMaxOutputTokens);
    if (counted instanceof Promise) return counted.then((tokens) => this.admitWith(decision, tokens));
    return this.admitWith(decision, counted);
  }

  /** Asks the store to admit the request with its token bound (when one was counted). */
  private admitWith(decision: Decision, tokens: RequestTokens | undefined): Promise<GovernanceHold | null | Rejection> {
    const { checks, budgets, target, countsTokens, priced } = decision;
    const limits: LimitAcquire | undefined =
      checks.length === 0
        ? undefined
        : { checks, leaseId: randomUUID(), tokens: countsTokens && tokens ? tokens.input + tokens.maxOutput : 0, leaseTtlMs: this.config.governance.leaseTtlMs };
    const amountMicros = budgets === null ? 0 : this.maxCost(priced ? target : undefined, tokens);
    const request: GovernanceAdmit = { limits, budget: budgets === null ? undefined : { counters: budgets.counters, amountMicros } };
    const admission: PendingAdmission = { ...decision, request };
    let verdict: Promise<GovernanceVerdict>;
    try {
      verdict = this.store.admit(request);
    } catch (error) {
      return Promise.resolve(this.storeFailed(error, admission));
    }
    return verdict.then(
      (answer) => (answer.budget?.status === 'missing' ? this.seedThenAdmit(admission, answer.budget.indexes) : this.conclude(admission, answer)),
      (error: unknown) => this.storeFailed(error, admission),
    );
  }

  /** A budget counter was missing (a new period, or Redis restarted): seeded from the durable spend, then asked again. */
  private async seedThenAdmit(admission: PendingAdmission, indexes: readonly number[]): Promise<GovernanceHold | null | Rejection> {
    let verdict: GovernanceVerdict;
    try {
      await this.budgets.seed(admission.budgets!, indexes);
      verdict = await this.store.admit(admission.request);
    } catch (error) {
      return this.storeFailed(error, admission);
    }
    return this.conclude(admission, verdict);
  }

  /** The store's answer as a hold (with the rate-limit headers set) or a rejection. */
  private conclude(admission: PendingAdmission, verdict: GovernanceVerdict): GovernanceHold | Rejection | null {
    const { exchange, checks, budgets, request, target } = admission;
    let budget: BudgetHold | BudgetExceeded | undefined;
    try {
      budget = verdict.budget && this.budgets.holdOrRefusal(budgets!, request.budget?.amountMicros ?? 0, verdict.budget);
    } catch (error) {
      return this.storeFailed(error, admission);
    }
    if (budget instanceof BudgetExceeded) {
      this.metrics.budgetExceeded.inc();
      return new Rejection(429, budget.message, 'budget_exceeded');
    }
    if (verdict.limits && !verdict.limits.allowed) {
      this.metrics.rateLimited.inc({ kind: verdict.limits.refused!.kind });
      return limitRejection(checks, verdict.limits);
    }
    if (verdict.limits) {
      const dialect = exchange.route.startsWith('/v1/messages') ? 'anthropic' : 'openai';
      const headers = rateLimitHeaders(dialect, verdict.limits.states, Date.now());
      // Set on the response before any head is written: the responder's writeHead merges them.
      for (const name in headers) exchange.response.setHeader(name, headers[name]);
    }
    return { limits: request.limits, budget, target };
  }

  settle(hold: GovernanceHold | null, outcome: AdmissionOutcome): void {
    if (hold === null) return;
    const { limits, budget } = hold;
    const used = outcome.usage ? outcome.usage.inputTokens + outcome.usage.outputTokens : outcome.status >= 400 ? 0 : (limits?.tokens ?? 0);
    const deltaMicros = budget ? this.budgets.record(budget, this.actualCost(hold, budget, outcome)) : 0;
    this.store
      .settle({
        limits: limits && { checks: limits.checks, leaseId: limits.leaseId, reservedTokens: limits.tokens, usedTokens: used },
        budget: budget && { counters: budget.counters, deltaMicros },
      })
      .catch(() => {
        if (limits) this.metrics.settleFailures.inc({ check: 'rate_limit' });
        if (budget) this.metrics.settleFailures.inc({ check: 'budget' });
      });
  }

  /**
   * The true cost: priced from the usage (the target that served, when failover moved on). Without
   * usage, a failed request costs nothing, and a served one (a stream whose usage never came) is
   * charged its reservation rather than nothing. A queued background run costs nothing here: the
   * run charges what it really cost when it ends (BackgroundResponseRun).
   */
  private actualCost(hold: GovernanceHold, budget: BudgetHold, outcome: AdmissionOutcome): number {
    if (outcome.costChargedLater) return 0;
    const target = outcome.provider && outcome.model ? { provider: outcome.provider, model: outcome.model } : hold.target;
    if (!outcome.usage) return outcome.status >= 400 ? 0 : budget.reservedMicros;
    if (!target || !this.pricing) return 0;
    return this.pricing.costOf(target, outcome.usage)?.total ?? 0;
  }

  private maxCost(target: PricedTarget | undefined, tokens: { input: number; maxOutput: number } | undefined): number {
    const micros = target && tokens ? this.pricing!.maxCostMicros(target, tokens.input, tokens.maxOutput) : null;
    if (micros !== null) return micros;
    this.metrics.unpriced.inc();
    return 0;
  }

  /** The store did not answer: each check present fails open or closed as configured (closed wins). */
  private storeFailed(error: unknown, { request }: PendingAdmission): null | Rejection {
    const { rateLimitRedisFailure, budgetRedisFailure } = this.config.governance;
    const limited = request.limits !== undefined;
    const budgeted = request.budget !== undefined;
    const reason = (error as Error).message;
    let refusal: Rejection | null = null;
    if (budgeted) {
      this.metrics.storeFailures.inc({ check: 'budget', mode: budgetRedisFailure });
      this.outage.warn(`Budget ledger unavailable (${reason}); failing ${budgetRedisFailure} (BUDGET_REDIS_FAILURE=${budgetRedisFailure})`);
      if (budgetRedisFailure === 'closed') refusal = new Rejection(503, 'Budgets cannot be checked right now; try again shortly.', 'budget_unavailable', 1000);
    }
    if (limited) {
      this.metrics.storeFailures.inc({ check: 'rate_limit', mode: rateLimitRedisFailure });
      this.outage.warn(`Rate-limit store unavailable (${reason}); failing ${rateLimitRedisFailure} (RATE_LIMIT_REDIS_FAILURE=${rateLimitRedisFailure})`);
      if (rateLimitRedisFailure === 'closed') refusal = new Rejection(503, 'Rate limits cannot be checked right now; try again shortly.', 'rate_limiter_unavailable', 1000);
    }
    return refusal;
  }
}

/** The target a reservation is priced for: the plan's first, or what the route itself named (passthrough). */
function targetOf(exchange: Exchange, plan: RoutePlan): PricedTarget | undefined {
  const first = plan.targets[0];
  if (first) return { provider: first.provider.name, model: first.model };
  return exchange.provider && exchange.model ? { provider: exchange.provider, model: exchange.model } : undefined;
}
