import type { MemoryBudgetLedger } from '../budgets/memory-budget.ledger';
import type { MemoryRateLimitStore } from '../rate-limits/memory-rate-limit.store';
import type { AdmissionStore, GovernanceAdmit, GovernanceSettle, GovernanceVerdict } from './admission-store';

/**
 * The embedded gateway's admission over the in-process counters. Each step runs without an await,
 * so no other request sees the budget reservation of a request its limits then refuse.
 */
export class MemoryAdmissionStore implements AdmissionStore {
  constructor(
    private readonly limits: MemoryRateLimitStore,
    private readonly ledger: MemoryBudgetLedger,
  ) {}

  admit({ limits, budget }: GovernanceAdmit): Promise<GovernanceVerdict> {
    const reserved = budget && this.ledger.reserveNow(budget.counters, budget.amountMicros);
    if (reserved && reserved.status !== 'reserved') return Promise.resolve({ budget: reserved });
    const verdict = limits && this.limits.acquireNow(limits);
    if (verdict && !verdict.allowed && budget) this.ledger.adjustNow(budget.counters, -budget.amountMicros);
    return Promise.resolve({ budget: reserved, limits: verdict });
  }

  settle({ limits, budget }: GovernanceSettle): Promise<void> {
    if (limits) this.limits.releaseNow(limits);
    if (budget && budget.deltaMicros !== 0) this.ledger.adjustNow(budget.counters, budget.deltaMicros);
    return Promise.resolve();
  }
}
