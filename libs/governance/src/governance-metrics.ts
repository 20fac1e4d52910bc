import { Injectable } from '@nestjs/common';
import { Counter, register } from 'prom-client';

function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  // One registry per process; the e2e suites boot several gateways in one.
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

/** Counters of rate limits and budgets. Labels are bounded: a kind, a check, a mode; never a key id or path. */
@Injectable()
export class GovernanceMetrics {
  readonly rateLimited = counter('switchyard_rate_limit_rejections_total', 'Requests refused by a rate limit, by limit kind.', ['kind']);
  readonly storeFailures = counter('switchyard_governance_store_failures_total', 'Admissions whose counter store (Redis) failed, by check and failure mode.', ['check', 'mode']);
  readonly budgetExceeded = counter('switchyard_budget_rejections_total', 'Requests refused because a budget had no room for their maximum cost.');
  readonly unpriced = counter('switchyard_budget_unpriced_requests_total', 'Requests under a budget whose model has no known price (reserved and charged 0).');
  readonly overrun = counter('switchyard_budget_overrun_micros_total', "Micro-dollars charged beyond a request's reservation (its true cost exceeded the estimate).");
  readonly settleFailures = counter('switchyard_governance_settle_failures_total', 'Settlements that could not reach the counter store or ledger, by check.', ['check']);
}
