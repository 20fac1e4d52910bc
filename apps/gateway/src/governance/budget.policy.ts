import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { BudgetExceeded, type BudgetHold, BudgetsService, GovernanceMetrics, type PricedTarget, SPEND_PRICING, type SpendPricing } from '@app/governance';
import type { RoutePlan } from '@app/providers';
import { type AdmissionOutcome, type AdmissionPolicy, Rejection } from '../pipeline/admission';
import type { Exchange } from '../pipeline/exchange';
import { FREE_ROUTES, requestTokens } from './request-tokens';
import { ThrottledWarning } from './throttled-warning';

interface SpendHold {
  readonly hold: BudgetHold;
  readonly target: PricedTarget | undefined;
}

/**
 * Budgets: reserves the request's maximum cost (local input count × input price + maximum output
 * × output price) against every budget its key and user path fall under, then settles to the true
 * cost from its usage. A model without a known price (or no pricing bound) reserves and is
 * charged 0, counted by `switchyard_budget_unpriced_requests_total`; a spent budget still refuses it.
 */
@Injectable()
export class BudgetPolicy implements AdmissionPolicy<SpendHold | null> {
  private readonly outage = new ThrottledWarning(new Logger(BudgetPolicy.name));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly budgets: BudgetsService,
    private readonly metrics: GovernanceMetrics,
    @Optional() @Inject(SPEND_PRICING) private readonly pricing?: SpendPricing,
  ) {}

  admit(exchange: Exchange, plan: RoutePlan): null | Promise<SpendHold | null | Rejection> {
    // No budget covers the request: decided without an await (the hot path of most callers).
    if (FREE_ROUTES.has(exchange.route) || !this.budgets.covers(exchange.caller)) return null;
    return this.reserve(exchange, plan);
  }

  private async reserve(exchange: Exchange, plan: RoutePlan): Promise<SpendHold | null | Rejection> {
    const { caller } = exchange;
    const first = plan.targets[0];
    const target = first
      ? { provider: first.provider.name, model: first.model }
      : exchange.provider && exchange.model
        ? { provider: exchange.provider, model: exchange.model }
        : undefined;
    let hold: BudgetHold | BudgetExceeded | null;
    try {
      hold = await this.budgets.reserve(caller, await this.maxCost(exchange, target));
    } catch (error) {
      return this.ledgerFailed(error);
    }
    if (hold === null) return null;
    if (hold instanceof BudgetExceeded) {
      this.metrics.budgetExceeded.inc();
      return new Rejection(429, hold.message, 'budget_exceeded');
    }
    return { hold, target };
  }

  settle(spend: SpendHold | null, outcome: AdmissionOutcome): void {
    if (spend === null) return;
    this.budgets.settle(spend.hold, this.actualCost(spend, outcome)).catch(() => this.metrics.settleFailures.inc({ check: 'budget' }));
  }

  /**
   * The true cost: priced from the usage (the target that served, when failover moved on). Without
   * usage, a failed request costs nothing, and a served one (a stream whose usage never came) is
   * charged its reservation rather than nothing. A queued background run costs nothing here: the
   * run charges what it really cost when it ends (BackgroundResponseRun).
   */
  private actualCost(spend: SpendHold, outcome: AdmissionOutcome): number {
    if (outcome.costChargedLater) return 0;
    const target = outcome.provider && outcome.model ? { provider: outcome.provider, model: outcome.model } : spend.target;
    if (!outcome.usage) return outcome.status >= 400 ? 0 : spend.hold.reservedMicros;
    if (!target || !this.pricing) return 0;
    return this.pricing.costOf(target, outcome.usage)?.total ?? 0;
  }

  private async maxCost(exchange: Exchange, target: PricedTarget | undefined): Promise<number> {
    if (!target || !this.pricing) return this.unpriced();
    const tokens = await requestTokens(exchange, target.model, this.config.governance.defaultMaxOutputTokens);
    return this.pricing.maxCostMicros(target, tokens.input, tokens.maxOutput) ?? this.unpriced();
  }

  private unpriced(): number {
    this.metrics.unpriced.inc();
    return 0;
  }

  private ledgerFailed(error: unknown): null | Rejection {
    const mode = this.config.governance.budgetRedisFailure;
    this.metrics.storeFailures.inc({ check: 'budget', mode });
    this.outage.warn(`Budget ledger unavailable (${(error as Error).message}); failing ${mode} (BUDGET_REDIS_FAILURE=${mode})`);
    if (mode === 'open') return null;
    return new Rejection(503, 'Budgets cannot be checked right now; try again shortly.', 'budget_unavailable', 1000);
  }
}
