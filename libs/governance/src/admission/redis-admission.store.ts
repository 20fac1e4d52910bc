import type Redis from 'ioredis';
import { budgetArgs, reserveResultOf } from '../budgets/redis-budget.ledger';
import { acquireArgs, limitKeys, limitVerdictOf, releasedChecks } from '../rate-limits/redis-rate-limit.store';
import type { AdmissionStore, GovernanceAdmit, GovernanceSettle, GovernanceVerdict } from './admission-store';
import { ADMIT_BATCH_SCRIPT, SETTLE_BATCH_SCRIPT } from './governance-scripts';
import { TurnBatches } from './turn-batches';

const ADMIT = 'governanceAdmitBatch';
const SETTLE = 'governanceSettleBatch';

/**
 * Admission and settlement as Lua (EVALSHA through defineCommand, as the other stores), batched by
 * TurnBatches: the admits of one event-loop turn are one script call, its settles another, both
 * in one write.
 */
export class RedisAdmissionStore implements AdmissionStore {
  private readonly batches: TurnBatches;

  /** `client` is shared (the rate-limit store's connection): its owner quits it. */
  constructor(client: Redis) {
    client.defineCommand(ADMIT, { lua: ADMIT_BATCH_SCRIPT });
    client.defineCommand(SETTLE, { lua: SETTLE_BATCH_SCRIPT });
    this.batches = new TurnBatches(client, [SETTLE, ADMIT]);
  }

  // Not async functions: a then() is one promise per call where async/await makes several, and
  // this runs twice per governed request.
  admit({ limits, budget }: GovernanceAdmit): Promise<GovernanceVerdict> {
    const checks = limits?.checks ?? [];
    const counters = budget?.counters ?? [];
    const keys = [...limitKeys(checks), ...counters.map((counter) => counter.key)];
    const args = [checks.length, counters.length, ...(limits ? acquireArgs(limits) : [0, '', 0, 0]), ...(budget ? budgetArgs(counters, budget.amountMicros) : [])];
    return this.batches.send<number[]>(ADMIT, keys, args).then((reply): GovernanceVerdict => {
      if (reply[0] === 2 || reply[0] === 3) return { budget: reserveResultOf(reply) };
      return { budget: budget && { status: 'reserved' }, limits: limits && limitVerdictOf(reply, checks) };
    });
  }

  settle({ limits, budget }: GovernanceSettle): Promise<void> {
    const checks = limits ? releasedChecks(limits) : [];
    const counters = budget && budget.deltaMicros !== 0 ? budget.counters : [];
    if (checks.length === 0 && counters.length === 0) return Promise.resolve();
    const keys = [...limitKeys(checks), ...counters.map((counter) => counter.key)];
    const lease = limits ? [limits.leaseId, limits.reservedTokens, limits.usedTokens] : ['', 0, 0];
    return this.batches.send<void>(SETTLE, keys, [checks.length, counters.length, ...lease, budget?.deltaMicros ?? 0]);
  }
}
