import type Redis from 'ioredis';
import type { BudgetCounter } from '../budgets/budget-ledger';
import { pushBudgetArgs, reserveResultOf } from '../budgets/redis-budget.ledger';
import { limitKeys, limitVerdictOf, pushAcquireArgs, releasedChecks } from '../rate-limits/redis-rate-limit.store';
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
    const keys = withCounterKeys(limitKeys(checks), counters);
    // One array, written in place: spreading each part's own array made four per admit.
    const args: (string | number)[] = [checks.length, counters.length];
    if (limits) pushAcquireArgs(args, limits);
    else args.push(0, '', 0, 0);
    if (budget) pushBudgetArgs(args, counters, budget.amountMicros);
    return this.batches.send<number[]>(ADMIT, keys, args).then((reply): GovernanceVerdict => {
      if (reply[0] === 2 || reply[0] === 3) return { budget: reserveResultOf(reply) };
      return { budget: budget && { status: 'reserved' }, limits: limits && limitVerdictOf(reply, checks) };
    });
  }

  settle({ limits, budget }: GovernanceSettle): Promise<void> {
    const checks = limits ? releasedChecks(limits) : [];
    const counters = budget && budget.deltaMicros !== 0 ? budget.counters : [];
    if (checks.length === 0 && counters.length === 0) return Promise.resolve();
    const keys = withCounterKeys(limitKeys(checks), counters);
    const lease = limits ? [limits.leaseId, limits.reservedTokens, limits.usedTokens] : ['', 0, 0];
    return this.batches.send<void>(SETTLE, keys, [checks.length, counters.length, ...lease, budget?.deltaMicros ?? 0]);
  }
}

/** The limit keys (cached per subject, so not written to), then the budget counters' keys. */
function withCounterKeys(limitKeys: readonly string[], counters: readonly BudgetCounter[]): readonly string[] {
  if (counters.length === 0) return limitKeys;
  const keys = limitKeys.slice();
  for (const counter of counters) keys.push(counter.key);
  return keys;
}
